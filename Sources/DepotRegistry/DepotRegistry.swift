// DepotRegistry
