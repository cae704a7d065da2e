// DepotRunner
