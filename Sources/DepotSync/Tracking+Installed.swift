import DepotPull
import DepotStore
import Foundation

/// One row of `depot list --json` and `GET /v1/models`: the installed version with whether it is
/// pinned and whether its model is tracked, all at the same level of the JSON object.
@dynamicMemberLookup
public struct ListedVersion: Sendable, Codable {
    public var version: InstalledVersionSummary
    /// `depot pin NAME@COMMIT`: keep-N retention and `depot rm` (without --force) leave it alone.
    public var pinned: Bool
    /// `depot track NAME`: the daemon's sync keeps this model current.
    public var tracked: Bool

    public init(version: InstalledVersionSummary, pinned: Bool, tracked: Bool) {
        self.version = version
        self.pinned = pinned
        self.tracked = tracked
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<InstalledVersionSummary, Value>) -> Value { version[keyPath: keyPath] }

    enum CodingKeys: String, CodingKey { case pinned, tracked }

    public init(from decoder: any Decoder) throws {
        version = try InstalledVersionSummary(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pinned = try container.decode(Bool.self, forKey: .pinned)
        tracked = try container.decode(Bool.self, forKey: .tracked)
    }

    public func encode(to encoder: any Encoder) throws {
        try version.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pinned, forKey: .pinned)
        try container.encode(tracked, forKey: .tracked)
    }
}

extension Tracking {
    /// Every installed version, newest first, with its pin and track.
    public func listInstalled() async throws -> [ListedVersion] {
        let versions = try await service.listInstalled()
        let pins = Set(try await service.catalog.pinnedVersions().map { "\($0.name)@\($0.commit)" })
        // A track names what the user typed (`sd-1.5`, `org/repo@dev`); versions are recorded under the resolved name.
        let tracked = Set(try await service.catalog.trackedModels().compactMap { try? service.resolve($0.name).name })
        return versions.map {
            ListedVersion(version: $0, pinned: pins.contains("\($0.name)@\($0.commit)"), tracked: tracked.contains($0.name))
        }
    }

    /// `depot rm`: removes the versions `reference` names, refusing pinned ones unless `force`.
    public func remove(_ reference: String, force: Bool) async throws -> RemoveReport {
        if !force {
            var pinned: [String] = []
            for version in try await service.installedVersions(named: reference)
            where try await service.catalog.pinnedCommits(name: version.name).contains(version.commit) {
                pinned.append("\(version.name)@\(version.commit.prefix(12))")
            }
            if !pinned.isEmpty { throw SyncError.removingPinned(reference: reference, pinned: pinned) }
        }
        return try await service.remove(reference)
    }
}
