// DepotStore
