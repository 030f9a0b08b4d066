extension StoreError {
    /// An error for a SQLite failure while doing `action` (`open`, `append to`, `read`, ...) on the store at `path`,
    /// with a hint for the failures a user can fix.
    ///
    /// For example `cannot open the store sqlite:/x/state.db: unable to open database file (check that the
    /// directory exists and is writable)`.
    static func sqlite(_ failure: SQLiteDatabase.Failure, while action: String, path: String) -> StoreError {
        var message = "cannot \(action) the store sqlite:\(path): \(failure.message)"
        var code = Code.failed
        if failure.isBusy {
            code = .busy
            let seconds = SQLiteDatabase.busyTimeoutMilliseconds / 1_000
            message += " (another process held the lock for more than \(seconds) s; retry, or look for a stuck runbook)"
        } else if failure.isCorrupt {
            code = .corrupt
            message += " (the file is damaged or is not a runbook store; `runbook audit verify` names the damage)"
        } else if failure.isPermission {
            code = .unavailable
            message += " (check that the directory exists and is writable)"
        } else if failure.isFull {
            code = .unavailable
            message += " (free some disk space and retry)"
        }
        return StoreError(message, code: code)
    }
}
