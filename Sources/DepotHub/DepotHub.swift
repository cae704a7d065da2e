// DepotHub
