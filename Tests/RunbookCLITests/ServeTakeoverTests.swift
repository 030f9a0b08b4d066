import Foundation
import RunbookTestPeers
import Testing

/// Leases, takeover and drain (issue 19, parts 3, 4 and 9), through the built binary.
extension ServeTests {
    @Test("a runner killed with -9 at a gate: serve takes the run over within a lease period plus a second")
    func takeoverOfKilledRunner() throws {
        let server = try ServeInstance(runbooks: ["fix": ExecTests.gatedRunbook])
        let workspace = server.workspace
        let runner = try workspace.start(["exec", "fix"])
        var run = ""
        #expect(workspace.waitFor {
            run = (try? workspace.latestRun()) ?? ""
            return !run.isEmpty && (try? server.waitForGate(run: run, step: "fix")) == true
        })
        let live = try workspace.run(["status", run])
        #expect(live.stdout.contains("runner \(ProcessInfo.processInfo.hostName) pid"), "\(live.stdout)")
        #expect(live.stdout.contains(", heartbeat "), "\(live.stdout)")
        runner.signal(SIGKILL)
        _ = runner.wait()
        let killed = Date()
        var takeover: [String: Any]?
        #expect(try workspace.waitFor(seconds: 11) {
            takeover = try workspace.events().first {
                $0["type"] as? String == "run.taken_over" && $0["run"] as? String == run
            }
            return takeover != nil
        }, "no run.taken_over within a lease period plus a second")
        #expect(Date().timeIntervalSince(killed) < 11)
        let data = takeover?["data"] as? [String: Any] ?? [:]
        #expect(data["from_host"] as? String == ProcessInfo.processInfo.hostName)
        #expect(data["from_pid"] as? Int != nil && data["pid"] as? Int != data["from_pid"] as? Int, "\(data)")
        #expect((data["reason"] as? String)?.contains("no live process holds its lock") == true, "\(data)")
        #expect(try server.waitForGate(run: run, step: "fix"))
        let answer = try server.request("POST", "/runs/\(run)/gates/fix/approve", token: ServeInstance.tokens["bob"])
        #expect(answer.status == 200, "\(answer.body)")
        #expect(try server.waitFor(run: run, status: "succeeded"))
        let events = try workspace.events().filter { $0["run"] as? String == run }
        #expect(events.filter { $0["type"] as? String == "step.finished" && $0["step"] as? String == "check" }.count == 1)
        #expect(events.filter { $0["type"] as? String == "run.finished" }.count == 1)
        #expect(try workspace.run(["audit", "verify"]).status == 0)
    }

    @Test("status of a run whose runner died names it and says its lease lapsed")
    func statusOfLapsedLease() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("fix", ExecTests.gatedRunbook)
        let runner = try workspace.start(["exec", "fix"])
        var run = ""
        #expect(workspace.waitFor {
            run = (try? workspace.latestRun()) ?? ""
            return !run.isEmpty && (try? workspace.run(["status", run]).stdout.contains("waiting at gate")) == true
        })
        runner.signal(SIGKILL)
        _ = runner.wait()
        let status = try workspace.run(["status", run])
        #expect(status.stdout.contains("interrupted"), "\(status.stdout)")
        #expect(status.stdout.contains("runner \(ProcessInfo.processInfo.hostName) pid "), "\(status.stdout)")
        #expect(status.stdout.contains(": lease lapsed ") && status.stdout.contains(" ago: runner gone"),
                "\(status.stdout)")
        let json = try workspace.run(["status", run, "--output", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let holder = document?["runner"] as? [String: Any]
        #expect(holder?["lease"] as? String == "lapsed", "\(json.stdout)")
        #expect(holder?["host"] as? String == ProcessInfo.processInfo.hostName)
    }

    @Test("SIGTERM drains: the running step ends, nothing starts after the signal, the rest is released")
    func drainOnSigterm() throws {
        let server = try ServeInstance(serve: "  max_concurrent_runs: 1", runbooks: ["slow": """
            triggers:
              - { source: alertmanager, match: { alertname: Slow } }
            steps:
              - { id: first, action: sleep, with: { duration: 2s } }
              - { id: second, run: "echo second", mutating: false, needs: [first] }
            """])
        let first = try #require(try server.hook(
            "alertmanager", ServeInstance.alertmanager(["alertname": "Slow"], fingerprint: "one")).firstRun)
        let queued = try #require(try server.hook(
            "alertmanager", ServeInstance.alertmanager(["alertname": "Slow"], fingerprint: "two")).firstRun)
        #expect(try server.workspace.waitFor {
            try server.workspace.events().contains {
                $0["type"] as? String == "step.started" && $0["run"] as? String == first
            }
        })
        let signalled = Date()
        let stopped = server.stop(SIGTERM)
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let events = try server.workspace.events()
        func of(_ run: String, _ type: String) -> [[String: Any]] {
            events.filter { $0["run"] as? String == run && $0["type"] as? String == type }
        }
        #expect(of(first, "step.finished").count == 1, "the running step was not let finish")
        #expect(of(first, "step.started").count == 1, "a step started after the signal")
        #expect(of(first, "run.finished").isEmpty)
        let released = try #require(of(first, "run.released").first)
        #expect((released["data"] as? [String: Any])?["running"] as? [String] == [])
        #expect(of(queued, "run.started").isEmpty, "a queued run was started after the signal")
        #expect(Date().timeIntervalSince(signalled) < 12)
        // The next server takes the released run over and starts the queued one.
        try server.start()
        #expect(try server.waitFor(run: first, status: "succeeded"))
        #expect(try server.waitFor(run: queued, status: "succeeded"))
        #expect(try server.workspace.run(["audit", "verify"]).status == 0)
    }

    @Test("a step still running when the drain's grace ends is named in run.released")
    func drainPastGrace() throws {
        let server = try ServeInstance(runbooks: ["long": """
            triggers:
              - { source: alertmanager, match: { alertname: Long } }
            steps:
              - { id: slow, run: "sleep 14", mutating: false }
            """])
        let run = try #require(try server.hook(
            "alertmanager", ServeInstance.alertmanager(["alertname": "Long"])).firstRun)
        #expect(try server.workspace.waitFor {
            try server.workspace.events().contains {
                $0["type"] as? String == "step.started" && $0["run"] as? String == run
            }
        })
        let stopped = server.stop(SIGTERM)
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let events = try server.workspace.events().filter { $0["run"] as? String == run }
        let released = try #require(events.first { $0["type"] as? String == "run.released" })
        #expect((released["data"] as? [String: Any])?["running"] as? [String] == ["slow"], "\(released)")
        #expect(!events.contains { $0["type"] as? String == "run.finished" })
        let status = try server.workspace.run(["status", run])
        #expect(status.stdout.contains("lease lapsed"), "\(status.stdout)")
    }
}
