import Foundation
import Synchronization
import RunbookTestPeers
import Testing

/// Trust at the gates, tried as an attacker would: racing answers, declared names, a runbook edited under a
/// parked run, a lowered severity, and break-glass in the open.
struct GateTrustTests {
    /// A runbook of `count` parallel gated steps, each leaving a marker file named after itself when it runs.
    static func parallelGates(_ count: Int, markers: String, minApprovals: Int = 1) -> String {
        "steps:\n" + (1...count).map { index in
            "  - { id: g\(index), needs: [], run: \"touch \(markers)/g\(index)\", "
                + "confirm: { message: \"go?\", timeout: 120s, min_approvals: \(minApprovals) } }"
        }.joined(separator: "\n") + "\n"
    }

    /// Runs `first` and `second` at the same moment on two threads and returns both results.
    static func race<T: Sendable>(_ first: @escaping @Sendable () -> T, _ second: @escaping @Sendable () -> T) -> [T] {
        let results = Mutex<[Int: T]>([:])
        let group = DispatchGroup()
        for (slot, body) in [first, second].enumerated() {
            group.enter()
            Thread.detachNewThread {
                let value = body()
                results.withLock { $0[slot] = value }
                group.leave()
            }
        }
        group.wait()
        return results.withLock { stored in (0..<2).compactMap { stored[$0] } }
    }

    /// The id of the newest run, once it waits at `gates` gates.
    static func parkedRun(_ workspace: TemporaryWorkspace, gates: Int = 1) throws -> String {
        var id: String?
        _ = workspace.waitFor(seconds: 60) {
            id = try? workspace.latestRun()
            return id != nil
        }
        let run = try #require(id)
        #expect(waitForGates(workspace, run, gates))
        return run
    }

    /// Waits until `run` waits at every one of `steps`.
    static func waitForGates(_ workspace: TemporaryWorkspace, _ run: String, _ steps: Int) -> Bool {
        workspace.waitFor(seconds: 60) {
            let status = (try? workspace.run(["status", run]).stdout) ?? ""
            return status.components(separatedBy: "waiting at gate").count - 1 == steps
        }
    }

    @Test("50 races of approve against deny from separate processes: exactly one answer counts, and the run does it",
          .enabled(if: TestAccounts.canSwitch))
    func processRaces() throws {
        let workspace = try TemporaryWorkspace()
        let markers = workspace.path("markers")
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        try workspace.runbook("race", Self.parallelGates(50, markers: markers))
        let run = try workspace.start(["exec", "race"])
        let id = try Self.parkedRun(workspace, gates: 50)
        let answered = Mutex<[String: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 50) { index in
            let step = "g\(index + 1)"
            let results = Self.race(
                { ("approve", try? workspace.run(["approve", id, step], user: "bob")) },
                { ("deny", try? workspace.run(["deny", id, step], user: "carol")) })
            let won = results.filter { $0.1?.status == 0 }.map { $0.0 }
            let lost = results.filter { $0.1?.status == 6 }
            answered.withLock { $0[step] = won.count == 1 && lost.count == 1 ? won[0] : "both or neither: \(won)" }
        }
        let winners = answered.withLock { $0 }
        let result = run.wait(seconds: 120)
        let approved = winners.filter { $0.value == "approve" }.map(\.key)
        #expect(winners.values.allSatisfy { $0 == "approve" || $0 == "deny" }, "\(winners)")
        #expect(result.status == (approved.count == 50 ? 0 : 3), "\(result.stdout)")
        for (step, answer) in winners {
            #expect(FileManager.default.fileExists(atPath: markers + "/" + step) == (answer == "approve"),
                    "\(step) won by \(answer)")
        }
        #expect(try workspace.run(["audit", "verify"]).status == 0)
    }

    @Test("50 races of approve against deny through the API: one 200 and one 409 each, and the run does what won")
    func apiRaces() throws {
        let markers = FileManager.default.temporaryDirectory.appendingPathComponent("api-race-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: markers) }
        let server = try ServeInstance(runbooks: ["race": """
            triggers:
              - { source: alertmanager, match: { alertname: Race } }
            """ + "\n" + Self.parallelGates(50, markers: markers)])
        let id = try #require(try server.hook("alertmanager", ServeInstance.alertmanager(["alertname": "Race"])).firstRun)
        #expect(server.workspace.waitFor(seconds: 60) {
            ((try? server.run(id)["waiting"] as? [String]) ?? []).count == 50
        })
        let answered = Mutex<[String: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 50) { index in
            let step = "g\(index + 1)"
            let gate = "/runs/\(id)/gates/\(step)/"
            let results = Self.race(
                { ("approve", try? server.request("POST", gate + "approve", token: ServeInstance.tokens["alice"])) },
                { ("deny", try? server.request("POST", gate + "deny", token: ServeInstance.tokens["bob"])) })
            let won = results.filter { $0.1?.status == 200 }.map { $0.0 }
            let lost = results.filter { $0.1?.status == 409 && $0.1?.json["code"] as? String == "decided" }
            answered.withLock { $0[step] = won.count == 1 && lost.count == 1 ? won[0] : "both or neither: \(won)" }
        }
        let winners = answered.withLock { $0 }
        #expect(winners.values.allSatisfy { $0 == "approve" || $0 == "deny" }, "\(winners)")
        let approved = winners.values.filter { $0 == "approve" }.count
        #expect(try server.waitFor(run: id, status: approved == 50 ? "succeeded" : "denied", seconds: 60))
        for (step, answer) in winners {
            #expect(FileManager.default.fileExists(atPath: markers + "/" + step) == (answer == "approve"),
                    "\(step) won by \(answer)")
        }
    }

    @Test("$RUNBOOK_USER names nobody: the starter cannot approve their own two-person gate under another name")
    func declaredNames() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("two", """
            steps:
              - { id: act, run: "echo acted", confirm: { message: "go?", min_approvals: 2, timeout: 60s } }
            """)
        let run = try workspace.start(["exec", "two"])
        let id = try Self.parkedRun(workspace)
        for name in ["bob", "Alice", " carol ", "alertmanager"] {
            let answer = try workspace.run(["approve", id, "act"], environment: ["RUNBOOK_USER": name])
            #expect(answer.status == 2, "\(name): \(answer.stdout)")
            #expect(answer.stderr.contains("who started the run"), "\(answer.stderr)")
        }
        #expect(try workspace.run(["status", id]).stdout.contains("waiting at gate"))
        // The starter may still stop their own run.
        #expect(try workspace.run(["deny", id, "act"], environment: ["RUNBOOK_USER": "bob"]).status == 0)
        #expect(run.wait().status == 3)
        let denial = try #require(try workspace.events().first { $0["type"] as? String == "gate.denied" })
        #expect((denial["actor"] as? [String: Any])?["id"] as? String == TestAccounts.current)
        #expect((denial["data"] as? [String: Any])?["display_name"] as? String == "bob")
    }

    @Test("a gate cannot be edited away: resume runs the recorded runbook, says the file changed, and records it")
    func editBeforeResume() throws {
        let workspace = try TemporaryWorkspace()
        let marker = workspace.path("marker")
        try workspace.runbook("edited", """
            steps:
              - { id: act, run: "echo original > \(marker)", mutating: true, confirm: { message: "go?", timeout: 60s } }
            """)
        let run = try workspace.start(["exec", "edited"])
        let id = try Self.parkedRun(workspace)
        run.signal(SIGKILL)
        _ = run.wait()
        try workspace.runbook("edited", """
            steps:
              - { id: act, run: "echo edited > \(marker)", mutating: true, confirm: false }
            """)
        let resume = try workspace.start(["resume", id])
        #expect(Self.waitForGates(workspace, id, 1), "the gate is still asked for")
        #expect(!FileManager.default.fileExists(atPath: marker), "nothing ran without an answer")
        #expect(try workspace.run(["approve", id, "act"]).status == 0)
        let resumed = resume.wait()
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(resumed.stderr.contains("has changed since run \(id) started"), "\(resumed.stderr)")
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "original\n")
        let event = try #require(try workspace.events().first { $0["type"] as? String == "run.resumed" })
        let change = (event["data"] as? [String: Any])?["runbook_changed"] as? [String: Any]
        #expect((change?["recorded"] as? String)?.hasPrefix("sha256:") == true)
        #expect(change?["recorded"] as? String != change?["on_disk"] as? String)
    }

    @Test("a lower --severity is refused unless the configuration allows it and a reason is given, then recorded")
    func severityLowering() throws {
        let body = """
            severity: SEV1
            steps:
              - { id: act, run: "echo acted", mutating: true, confirm: "Act?" }
            """
        let refused = try TemporaryWorkspace()
        try refused.runbook("critical", body)
        let lowered = try refused.run(["exec", "critical", "--severity", "SEV4", "--yes"])
        #expect(lowered.status == 2)
        #expect(lowered.stderr.contains("lower than critical's own SEV1"), "\(lowered.stderr)")
        #expect(!lowered.stdout.contains("acted"))

        let allowed = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            permissions:
              lower_severity: [\(TestAccounts.current)]
            """)
        try allowed.runbook("critical", body)
        let noReason = try allowed.run(["exec", "critical", "--severity", "SEV4", "--yes"])
        #expect(noReason.status == 2)
        #expect(noReason.stderr.contains("--reason"))
        let withReason = try allowed.run(
            ["exec", "critical", "--severity", "SEV4", "--yes", "--reason", "staging copy, not production"])
        #expect(withReason.status == 0, "\(withReason.stdout)\(withReason.stderr)")
        let started = try #require(try allowed.events().first { $0["type"] as? String == "run.started" })
        let data = started["data"] as? [String: Any]
        #expect(data?["severity"] as? String == "SEV4")
        #expect((data?["severity_lowered"] as? [String: Any])?["from"] as? String == "SEV1")
        let id = try #require(try allowed.latestRun())
        let timeline = try allowed.run(["timeline", id, "--format", "md"])
        #expect(timeline.stdout.contains("## Needs review"), "\(timeline.stdout)")
        #expect(timeline.stdout.contains("staging copy, not production"))
    }

    @Test("break-glass needs permission and a reason; it passes a two-person gate, notifies, and is listed for review")
    func breakGlass() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("glass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let listener = try NotificationTests.WebhookListener(folder: scratch)
        let body = """
            severity: SEV2
            steps:
              - { id: act, run: "echo acted", mutating: true, confirm: { message: "go?", min_approvals: 2, timeout: 60s } }
            """
        let denied = try TemporaryWorkspace()
        try denied.runbook("two", body)
        let waiting = try denied.start(["exec", "two"])
        let first = try Self.parkedRun(denied)
        let noPermission = try denied.run(["approve", first, "act", "--break-glass", "--reason", "site down"])
        #expect(noPermission.status == 2)
        #expect(noPermission.stderr.contains("may not break glass"))
        #expect(try denied.run(["deny", first, "act"]).status == 0)
        _ = waiting.wait()

        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            permissions:
              break_glass: true
            notify:
              hook: { webhook: "http://127.0.0.1:\(listener.port)/generic" }
            severities:
              SEV2: { notify: [hook] }
            """)
        try workspace.runbook("two", body)
        let run = try workspace.start(["exec", "two"])
        let id = try Self.parkedRun(workspace)
        #expect(try workspace.run(["approve", id, "act", "--break-glass"]).status != 0, "a reason is required")
        let glass = try workspace.run(["approve", id, "act", "--break-glass", "--reason", "checkout is down"])
        #expect(glass.status == 0, "\(glass.stderr)")
        let result = run.wait()
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("BREAK-GLASS"))
        #expect(workspace.waitFor(seconds: 10) { listener.received.contains { $0.contains("BREAK-GLASS") } })
        let postmortem = try workspace.run(["timeline", id, "--format", "postmortem"]).stdout
        #expect(postmortem.contains("passed the gate of act alone (break-glass)"), "\(postmortem)")
        #expect(postmortem.contains("checkout is down"))
    }
}
