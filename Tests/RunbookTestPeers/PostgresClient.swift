import Foundation

/// A `psql` session running in the background: a long query, or statements whose session (and transaction) it holds
/// open until `end()`.
public final class PostgresClient: Sendable {
    private let process: PeerProcess

    init(psql: String, arguments: [String], statements: String, application: String, keepOpen: Bool) throws {
        if keepOpen {
            process = try PeerProcess(psql, arguments, environment: ["PGAPPNAME": application], pipeInput: true)
            process.write(statements + "\n")
        } else {
            process = try PeerProcess(psql, arguments + ["-c", statements], environment: ["PGAPPNAME": application])
        }
    }

    deinit {
        end()
    }

    /// Whether psql still runs (its session was not ended by the server, and `end()` was not called).
    public var isRunning: Bool { process.isRunning }

    /// Waits up to `timeout` for psql to exit by itself (its backend cancelled or terminated); true when it did.
    public func exits(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !process.isRunning
    }

    /// Ends the session: closes psql's input and, if it still runs, terminates it.
    public func end() {
        process.closeInput()
        if process.isRunning {
            process.signal(SIGTERM)
            process.wait()
        }
    }
}
