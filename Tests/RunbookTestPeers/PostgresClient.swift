import Foundation

/// A `psql` session running in the background: a long query, or statements whose session (and transaction) it holds
/// open until `end()`.
public final class PostgresClient: @unchecked Sendable {
    // Unchecked: `process` and `input` are only read after `init`, and Process and FileHandle are thread-safe for the
    // calls made here (isRunning, terminate, close).
    private let process = Process()
    private let input: FileHandle?

    init(psql: String, arguments: [String], statements: String, application: String, keepOpen: Bool) throws {
        process.executableURL = URL(fileURLWithPath: psql)
        var environment = ProcessInfo.processInfo.environment
        environment["PGAPPNAME"] = application
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if keepOpen {
            let pipe = Pipe()
            process.standardInput = pipe
            process.arguments = arguments
            input = pipe.fileHandleForWriting
            try process.run()
            try pipe.fileHandleForWriting.write(contentsOf: Data((statements + "\n").utf8))
        } else {
            process.standardInput = FileHandle.nullDevice
            process.arguments = arguments + ["-c", statements]
            input = nil
            try process.run()
        }
    }

    deinit {
        end()
    }

    /// Whether psql still runs (its session was not ended by the server, and `end()` was not called).
    public var isRunning: Bool { process.isRunning }

    /// Waits up to `timeout` for psql to exit by itself (its backend cancelled or terminated); true when it did.
    public func exits(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return !process.isRunning
    }

    /// Ends the session: closes psql's input and, if it still runs, terminates it.
    public func end() {
        try? input?.close()
        if process.isRunning { process.terminate() }
    }
}
