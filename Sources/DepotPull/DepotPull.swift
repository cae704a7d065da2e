// DepotPull
