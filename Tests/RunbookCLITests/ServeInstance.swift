import Foundation
import RunbookTestPeers

/// `runbook serve` started in a temporary workspace on a free loopback port, called with curl as Alertmanager or a
/// person would call it, and killed at the end.
///
/// `@unchecked Sendable`: `process` changes only in `start()` and `stop()`, which a test calls from its own thread
/// while nothing else uses the instance; requests from several threads at once only read the port.
final class ServeInstance: @unchecked Sendable {
    /// The tokens the configuration names, by holder.
    static let tokens = ["alertmanager": "am-token", "grafana": "gf-token", "alice": "alice-token", "bob": "bob-token"]
    /// The PagerDuty signing secret the configuration names.
    static let pagerDutySecret = "pd-secret"

    let workspace: TemporaryWorkspace
    let port: Int
    private(set) var process: BackgroundRun

    /// Writes a configuration with `store`, the tokens (plus `serve`, more lines under `serve:`) and `runbooks`, then
    /// starts.
    init(serve: String = "", store: String = "sqlite:.runbook/state.db", runbooks: [String: String]) throws {
        port = try LoopbackPort.free()
        workspace = try TemporaryWorkspace(config: """
            store: "\(store)"
            serve:
              listen: 127.0.0.1:\(port)
              pagerduty_secret: "${PD_SECRET}"
              tokens:
            \(Self.tokens.keys.sorted().map { "    - { name: \($0), token: \"${TOKEN_\($0.uppercased())}\" }" }
                .joined(separator: "\n"))
            \(serve)
            """)
        for (name, body) in runbooks { try workspace.runbook(name, body) }
        process = try Self.launch(workspace)
        try waitUntilUp()
    }

    deinit { process.signal(SIGKILL) }

    private static func launch(_ workspace: TemporaryWorkspace) throws -> BackgroundRun {
        var environment = ["PD_SECRET": pagerDutySecret]
        for (name, token) in tokens { environment["TOKEN_\(name.uppercased())"] = token }
        return try workspace.start(["serve"], user: "serve", environment: environment)
    }

    private func waitUntilUp() throws {
        let up = workspace.waitFor(seconds: 30) { (try? request("GET", "/healthz").status) == 200 }
        if !up {
            process.signal(SIGKILL)
            throw PeerError("runbook serve did not come up: \(process.stdout)\(process.wait(seconds: 5).stderr)")
        }
    }

    /// Stops the server with `signal` (SIGKILL: as `kill -9` would) and returns how it ended; a server still running
    /// 20 s later is killed.
    @discardableResult
    func stop(_ signal: Int32 = SIGKILL) -> RunbookBinary.Outcome {
        process.signal(signal)
        return process.wait(seconds: 20)
    }

    /// Starts the server again on the same port and store.
    func start() throws {
        process = try Self.launch(workspace)
        try waitUntilUp()
    }

    /// What a request came back with.
    struct Reply {
        var status: Int
        var body: String
        /// The body as JSON.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        /// A hook's answer for its first alert: the runs it started or joined (`run`, `runbook`, `new`).
        var runs: [[String: Any]] { (json["alerts"] as? [[String: Any]])?.first?["runs"] as? [[String: Any]] ?? [] }
        /// The first of `runs`' ids.
        var firstRun: String? { runs.first?["run"] as? String }
    }

    /// Sends `method path` with `body` (a file's contents when `file`), as the holder of `token` (none: no header).
    func request(
        _ method: String, _ path: String, body: String? = nil, file: String? = nil, token: String? = nil,
        headers: [String: String] = [:]
    ) throws -> Reply {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method, "http://127.0.0.1:\(port)\(path)"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        if let file { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@" + file] }
        let outcome = try PeerProcess.run("/usr/bin/curl", arguments)
        guard let split = outcome.stdout.lastIndex(of: "\n"), let status = Int(outcome.stdout[split...].dropFirst())
        else { throw PeerError("curl failed: \(outcome.stderr)") }
        return Reply(status: status, body: String(outcome.stdout[..<split]))
    }

    /// Posts `body` to `/hooks/SOURCE` as Alertmanager.
    func hook(_ source: String, _ body: String, token: String? = tokens["alertmanager"]) throws -> Reply {
        try request("POST", "/hooks/\(source)", body: body, token: token)
    }

    /// The run's API document.
    func run(_ id: String) throws -> [String: Any] {
        try request("GET", "/runs/\(id)", token: Self.tokens["alice"]).json
    }

    /// Waits until the run's status is `status`.
    func waitFor(run id: String, status: String, seconds: Double = 30) throws -> Bool {
        try workspace.waitFor(seconds: seconds) { try run(id)["status"] as? String == status }
    }

    /// Waits until the run waits at the gate of `step`.
    func waitForGate(run id: String, step: String) throws -> Bool {
        try workspace.waitFor { (try run(id)["waiting"] as? [String])?.contains(step) == true }
    }

    /// An Alertmanager webhook (version 4) of one alert.
    static func alertmanager(
        _ labels: [String: String], status: String = "firing", fingerprint: String? = nil,
        startsAt: String = "2026-12-04T10:00:00Z"
    ) -> String {
        var alert: [String: Any] = [
            "status": status, "labels": labels, "annotations": ["summary": "test"], "startsAt": startsAt,
            "endsAt": status == "firing" ? "0001-01-01T00:00:00Z" : "2026-12-04T10:30:00Z",
        ]
        if let fingerprint { alert["fingerprint"] = fingerprint }
        let payload: [String: Any] = [
            "version": "4", "status": status, "receiver": "runbook", "groupKey": "{}:{}", "alerts": [alert],
            "groupLabels": [:], "commonLabels": labels, "commonAnnotations": [:], "externalURL": "http://am",
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
    }
}
