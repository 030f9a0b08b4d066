import Foundation

/// `runbook serve` under a bounded load from a second process (`wrk`, on loopback): Alertmanager groups of 10 alerts
/// that all de-duplicate into 10 open runs parked at their gates, so every accepted webhook appends 10 durable
/// `alert.received` events before its 200. Baseline: the same load on `GET /healthz` of the same server, which
/// touches no store.
enum ServeBenchmark {
    static let connections = 16
    static let seconds = 10

    static func run(binary: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            print("serve: skipped (wrk is not installed; scripts/setup installs it)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rb-serve-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("runbooks"),
                                                withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Int.random(in: 20_000..<30_000)
        try """
            store: sqlite:state.db
            serve:
              listen: 127.0.0.1:\(port)
              tokens: [{ name: alertmanager, token: bench-token }]
              rate_limit: 1000000
              rate_burst: 1000000
            """.write(to: folder.appendingPathComponent("runbook.config.yaml"), atomically: true, encoding: .utf8)
        try """
            name: parked
            triggers:
              - { source: alertmanager, match: { alertname: BenchAlert } }
            steps:
              - { id: restart, run: "true", confirm: "Restart?" }
            """.write(to: folder.appendingPathComponent("runbooks/parked.yaml"), atomically: true, encoding: .utf8)
        let alerts = (0..<10).map { index in
            #"{"status":"firing","labels":{"alertname":"BenchAlert","instance":"host-\#(index)"},"annotations":{},"#
                + #""startsAt":"2026-12-04T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"fp-\#(index)"}"#
        }
        let group = #"{"version":"4","status":"firing","receiver":"runbook","groupKey":"bench","alerts":["#
            + alerts.joined(separator: ",") + "]}"
        let script = folder.appendingPathComponent("post.lua")
        try """
            wrk.method = "POST"
            wrk.body = [[\(group)]]
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer bench-token"
            """.write(to: script, atomically: true, encoding: .utf8)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve"]
        server.currentDirectoryURL = folder
        server.standardError = FileHandle.nullDevice
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        var up = false
        for _ in 0..<100 where !up {
            Thread.sleep(forTimeInterval: 0.1)
            up = (try? wrk(["-t1", "-c1", "-d1s", base + "/healthz"]))?.requests ?? 0 > 0
        }
        guard up else { throw BenchmarkFailure("runbook serve did not start on port \(port)") }
        // Open the 10 runs; from here on every alert of the group joins one of them.
        _ = try wrk(["-t1", "-c1", "-d1s", "-s", script.path, base + "/hooks/alertmanager"])
        let hooks = try wrk(load(script: script.path) + [base + "/hooks/alertmanager"])
        let health = try wrk(load(script: nil) + [base + "/healthz"])
        guard hooks.failures == 0 else {
            throw BenchmarkFailure("\(hooks.failures) webhooks were not answered 200")
        }
        let export = Process()
        export.executableURL = URL(fileURLWithPath: binary)
        export.arguments = ["audit", "export"]
        export.currentDirectoryURL = folder
        let pipe = Pipe()
        export.standardOutput = pipe
        try export.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        export.waitUntilExit()
        let recorded = data.split(separator: UInt8(ascii: "\n")).filter {
            String(decoding: $0, as: UTF8.self).contains(#""type":"alert.received""#)
        }.count
        print("serve: Alertmanager groups of 10 alerts joining open runs, \(connections) connections, \(seconds) s (wrk)")
        print(String(format: "  webhooks           %.0f /s, p99 %.2f ms   (goal > 2,000 /s, p99 < 20 ms)",
                     hooks.perSecond, hooks.p99Milliseconds))
        print(String(format: "  GET /healthz       %.0f /s, p99 %.2f ms   (baseline: no store)",
                     health.perSecond, health.p99Milliseconds))
        print(String(format: "  ratio              %.2fx the /healthz rate", hooks.perSecond / health.perSecond))
        print("  durable            \(recorded) alert.received events for \(hooks.requests) webhooks "
              + "(\(recorded >= hooks.requests * 10 ? "every" : "NOT every") accepted alert recorded)")
    }

    private static func load(script: String?) -> [String] {
        ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency"] + (script.map { ["-s", $0] } ?? [])
    }

    /// What wrk reported.
    struct Result {
        var requests = 0
        var perSecond = 0.0
        var p99Milliseconds = 0.0
        var failures = 0
    }

    private static func wrk(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var result = Result()
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), let value = words.last.flatMap({ Double($0) }) {
                result.perSecond = value
            } else if line.hasPrefix("99%"), let value = words.last {
                result.p99Milliseconds = milliseconds(String(value))
            } else if line.contains("requests in"), let count = words.first.flatMap({ Int($0) }) {
                result.requests = count
            } else if line.hasPrefix("Non-2xx"), let count = words.last.flatMap({ Int($0) }) {
                result.failures = count
            } else if line.hasPrefix("Socket errors") {
                result.failures += line.split(separator: ",").compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
                    .reduce(0, +)
            }
        }
        return result
    }

    /// wrk's `1.23ms`, `456.00us`, `1.20s` in milliseconds.
    private static func milliseconds(_ text: String) -> Double {
        if text.hasSuffix("us") { return (Double(text.dropLast(2)) ?? 0) / 1_000 }
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) ?? 0 }
        if text.hasSuffix("s") { return (Double(text.dropLast()) ?? 0) * 1_000 }
        return Double(text) ?? 0
    }
}
