// DepotTokenizer
