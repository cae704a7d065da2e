// DepotFormats
