/// depot's version: in the Hub user agent, bundle.json and `depot --version`.
public enum DepotVersion {
    public static let current = "0.1.0"
}
