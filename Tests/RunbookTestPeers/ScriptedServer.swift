import Foundation

/// A small HTTP server a test writes in Python: `python3 -c SCRIPT PORT_FILE ARGUMENTS...`, where the script listens
/// on a free loopback port and writes that port to `sys.argv[1]`. Stopped when released.
public final class ScriptedServer: Sendable {
    /// The port it listens on.
    public let port: Int
    private let process: PeerProcess

    /// Starts `script` in `folder` and waits (blocking, up to 20 s) until it has written its port.
    /// - Throws: `PeerError` when it cannot start or never reports a port.
    public init(script: String, in folder: URL, arguments: [String] = []) throws {
        let portFile = folder.appendingPathComponent("port-\(UUID().uuidString)").path
        let errors = folder.appendingPathComponent("server-\(UUID().uuidString).log").path
        process = try PeerProcess("/usr/bin/env", ["python3", "-c", script, portFile] + arguments, error: errors)
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            found = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if found == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let found else {
            process.stop()
            let log = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw PeerError("the test server did not report its port: \(log.suffix(1_000))")
        }
        port = found
    }

    deinit { process.stop() }
}
