import DepotPull

extension ProgressDisplay {
    /// Shows a pull's events: the one rendering of download progress for every command that pulls.
    func show(_ event: PullEvent) {
        switch event {
        case .planned(_, _, _, let bytes): setTotal(bytes)
        case .fileStarted(let path, let size): start(path, total: size)
        case .fileProgress(let path, let completed, _): update(path, done: completed)
        case .fileFinished(let path, let size, let status): finish(path, bytes: size, note: status.rawValue)
        case .waitingForLock(let path): StandardStreams.printError("waiting for another download of \(path)")
        }
    }
}
