import Foundation
import RunbookTestPeers
import Testing

/// `--output json` of `show`, `validate`, `audit verify|head`, `approve`, `deny`, `cancel` and `note`, run with the
/// built binary: the documented fields, and the same exit codes as the text output when something is refused.
@Suite("JSON for scripts")
struct ScriptOutputTests {
    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// A workspace with `restart-api` (a gate of one approval, after a diagnostic step) and `slow` (a step that
    /// sleeps until it is stopped).
    private func workspace() throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("restart-api", """
            title: Restart the API
            inputs:
              token: { secret: true, default: tok-default }
              service: { default: api, pattern: "^[a-z-]+$", description: The service. }
            steps:
              - id: look
                run: echo looking at ${{ inputs.service }}
                mutating: false
              - id: restart
                needs: look
                run: echo restarting
                confirm: { message: "Restart ${{ inputs.service }}?", timeout: 10m, default: deny }
            """)
        try workspace.runbook("slow", """
            steps:
              - { id: wait, run: sleep 60, mutating: false }
            """)
        return workspace
    }

    /// Starts `restart-api` and waits for its gate.
    private func gatedRun(_ workspace: TemporaryWorkspace) throws -> (BackgroundRun, String) {
        let exec = try workspace.start(["exec", "restart-api"])
        #expect(try workspace.waitFor { try workspace.run(["gates"]).stdout.contains("Restart api?") })
        return (exec, try #require(try workspace.latestRun()))
    }

    @Test("show --output json: the plan in execution order, expressions as written, secret defaults hidden")
    func show() throws {
        let workspace = try workspace()
        let result = try workspace.run(["show", "restart-api", "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try object(result.stdout)
        #expect(plan["name"] as? String == "restart-api")
        #expect(plan["title"] as? String == "Restart the API")
        let inputs = try #require(plan["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == ["token", "service"])
        #expect(inputs[0]["default"] as? String == "***")
        #expect(inputs[0]["secret"] as? Bool == true)
        #expect(inputs[1]["pattern"] as? String == "^[a-z-]+$")
        let steps = try #require(plan["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ["look", "restart"])
        #expect(steps[0]["mutating"] as? Bool == false)
        #expect(steps[0]["gate"] is NSNull)
        #expect((steps[0]["with"] as? [String: Any])?["command"] as? String == "echo looking at ${{ inputs.service }}")
        #expect(steps[1]["needs"] as? [String] == ["look"])
        let gate = try #require(steps[1]["gate"] as? [String: Any])
        #expect(gate["message"] as? String == "Restart ${{ inputs.service }}?")
        #expect(gate["timeout"] as? String == "10m")
        #expect(gate["default"] as? String == "deny")
        #expect(gate["min_approvals"] as? Int == 1)
        #expect(!result.stdout.contains("tok-default"))

        let missing = try workspace.run(["show", "restart-ap", "--output", "json"])
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("did you mean 'restart-api'?"), "\(missing.stderr)")
    }

    @Test("validate --output json: every file with its diagnostics at their places; exit 2 when one is invalid")
    func validate() throws {
        let workspace = try workspace()
        let valid = try workspace.run(["validate", "--output", "json"])
        #expect(valid.status == 0, "\(valid.stderr)")
        let report = try object(valid.stdout)
        #expect(report["checked"] as? Int == 2)
        #expect(report["invalid"] as? Int == 0)

        try workspace.runbook("broken", """
            steps:
              - id: a
                needs: restrat
                run: echo a
            """)
        let result = try workspace.run(["validate", "--output", "json"])
        #expect(result.status == 2)
        #expect(result.stderr.isEmpty, "the diagnostics are in the JSON: \(result.stderr)")
        let checked = try object(result.stdout)
        #expect(checked["invalid"] as? Int == 1)
        let runbooks = try #require(checked["runbooks"] as? [[String: Any]])
        let broken = try #require(runbooks.first { ($0["file"] as? String)?.hasSuffix("broken.yaml") == true })
        #expect(broken["valid"] as? Bool == false)
        let diagnostic = try #require((broken["diagnostics"] as? [[String: Any]])?.first)
        #expect(diagnostic["kind"] as? String == "error")
        #expect(diagnostic["line"] as? Int == 4)
        #expect(diagnostic["column"] as? Int == 12)
        #expect((diagnostic["message"] as? String)?.contains("unknown step 'restrat'") == true, "\(diagnostic)")
        #expect(diagnostic["help"] is String)
        #expect(runbooks.filter { $0["valid"] as? Bool == true }.count == 2)
    }

    @Test("audit head and verify --output json; a tampered store is ok: false with the first bad seq, exit 1")
    func audit() throws {
        let workspace = try workspace()
        #expect(try workspace.run(["exec", "restart-api", "--yes"]).status == 0)
        let head = try object(try workspace.run(["audit", "head", "--output", "json"]).stdout)
        let seq = try #require(head["seq"] as? Int)
        let hash = try #require(head["hash"] as? String)
        #expect(seq > 1)
        #expect(hash.count == 64)
        #expect(try workspace.run(["audit", "head"]).stdout == "\(seq) \(hash)\n")

        let verified = try workspace.run(["audit", "verify", "--output", "json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let report = try object(verified.stdout)
        #expect(report["ok"] as? Bool == true)
        #expect(report["checked"] as? Int == seq)
        #expect((report["head"] as? [String: Any])?["hash"] as? String == hash)
        #expect(report["first_bad"] is NSNull)
        #expect(report["problem"] is NSNull)

        try tamper(workspace.path(".runbook/state.db"), replacing: "looking at api", with: "looking at apx")
        let broken = try workspace.run(["audit", "verify", "--output", "json"])
        #expect(broken.status == 1)
        let failure = try object(broken.stdout)
        #expect(failure["ok"] as? Bool == false)
        #expect(failure["first_bad"] as? Int ?? 0 > 0)
        #expect(failure["problem"] as? String == "hash mismatch")
    }

    @Test("approve --output json: the answer, who gave it, and that it decided the gate; a refusal keeps exit 2")
    func approve() throws {
        let workspace = try workspace()
        let (exec, run) = try gatedRun(workspace)
        defer { exec.signal(SIGKILL) }
        let result = try workspace.run(["approve", run, "--comment", "checked", "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try object(result.stdout)
        #expect(answer["run"] as? String == run)
        #expect(answer["step"] as? String == "restart")
        #expect(answer["answer"] as? String == "approved")
        #expect(answer["by"] is String)
        #expect(answer["comment"] as? String == "checked")
        #expect(answer["decided"] as? Bool == true)
        #expect(answer["approvals_needed"] as? Int == 0)
        #expect(answer["seq"] as? Int ?? 0 > 0)
        #expect(exec.wait().status == 0)

        let refused = try workspace.run(["approve", run, "--output", "json"])
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("has no gate waiting"), "\(refused.stderr)")
    }

    @Test("deny --output json: the denial with its reason; the run ends denied")
    func deny() throws {
        let workspace = try workspace()
        let (exec, run) = try gatedRun(workspace)
        defer { exec.signal(SIGKILL) }
        let result = try workspace.run(["deny", String(run.prefix(run.count - 1)), "restart", "--reason", "not now",
                                        "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try object(result.stdout)
        #expect(answer["run"] as? String == run)
        #expect(answer["answer"] as? String == "denied")
        #expect(answer["reason"] as? String == "not now")
        #expect(answer["decided"] as? Bool == true)
        #expect(exec.wait().status == 3)
    }

    @Test("cancel --output json: a live run is stopping (its pid); an interrupted one is cancelled with its steps")
    func cancel() throws {
        let workspace = try workspace()
        let live = try workspace.start(["exec", "slow"])
        defer { live.signal(SIGKILL) }
        #expect(try workspace.waitFor { try workspace.run(["status", "@last"]).stdout.contains("running") })
        let run = try #require(try workspace.latestRun())
        let stopping = try object(try workspace.run(["cancel", run, "--output", "json"]).stdout)
        #expect(stopping["run"] as? String == run)
        #expect(stopping["outcome"] as? String == "stopping")
        #expect(stopping["runner"] as? String == "process")
        #expect(stopping["pid"] as? Int ?? 0 > 0)
        #expect(live.wait().status == 4)

        let crashed = try workspace.start(["exec", "slow"])
        #expect(try workspace.waitFor {
            try workspace.latestRun() != run && workspace.run(["status", "@last"]).stdout.contains("running")
        })
        let second = try #require(try workspace.latestRun())
        crashed.signal(SIGKILL)
        _ = crashed.wait()
        let cancelled = try workspace.run(["cancel", second, "--output", "json"])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        let ended = try object(cancelled.stdout)
        #expect(ended["outcome"] as? String == "cancelled")
        #expect(ended["pid"] is NSNull)
        #expect(ended["cancelled_steps"] as? [String] == ["wait"])

        let again = try workspace.run(["cancel", second, "--output", "json"])
        #expect(again.status == 2)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("has already ended (cancelled)"), "\(again.stderr)")
    }

    @Test("note --output json: the note as recorded, on a run or on an incident")
    func note() throws {
        let workspace = try workspace()
        #expect(try workspace.run(["exec", "restart-api", "--yes", "--incident", "INC-7"]).status == 0)
        let run = try #require(try workspace.latestRun())
        let result = try workspace.run(["note", run, "restart", "fixed", "it", "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let note = try object(result.stdout)
        #expect(note["run"] as? String == run)
        #expect(note["incident"] as? String == "INC-7")
        #expect(note["text"] as? String == "restart fixed it")
        #expect(note["seq"] as? Int ?? 0 > 0)
        let onIncident = try object(try workspace.run(["note", "--incident", "INC-7", "impact", "--output", "json"])
            .stdout)
        #expect(onIncident["run"] is NSNull)
        #expect(onIncident["incident"] as? String == "INC-7")

        let empty = try workspace.run(["note", run, "--output", "json"])
        #expect(empty.status == 2)
        #expect(empty.stdout.isEmpty)
    }

    @Test("usage mistakes exit 2 with --output json too: an unknown format, a store that cannot be named")
    func usage() throws {
        let workspace = try workspace()
        for command in [["show", "slow", "--output", "yaml"], ["audit", "head", "--store", "foo", "--output", "json"],
                        ["validate", "--output", "xml"], ["cancel", "--output", "json"]] {
            let result = try workspace.run(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command)")
        }
    }
}
