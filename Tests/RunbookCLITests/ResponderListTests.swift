import Foundation
import RunbookTestPeers
import Testing

/// What waits for me: `runbook gates`, `runs` showing `waiting` and its filters, and runs named by a prefix of their
/// id or `@last`.
@Suite("What waits for the responder")
struct ResponderListTests {
    /// A workspace with `restart-api`: a gate that needs two approvals, the starter's not counting.
    private func workspace() throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("restart-api", """
            steps:
              - id: restart
                run: echo restarted
                confirm: { message: "Restart the API?", min_approvals: 2, timeout: 10m, default: deny }
            """)
        try workspace.runbook("health", """
            steps:
              - id: check
                run: echo healthy
                mutating: false
            """)
        return workspace
    }

    private func json(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test("gates lists the waiting gate with its terms; --mine leaves out the starter; runs says waiting",
          .enabled(if: TestAccounts.canSwitch))
    func waiting() throws {
        let workspace = try workspace()
        #expect(try workspace.run(["exec", "health"]).status == 0)
        let exec = try workspace.start(["exec", "restart-api"])
        defer { exec.signal(SIGKILL) }
        #expect(try workspace.waitFor { try workspace.run(["gates"]).stdout.contains("Restart the API?") })
        let run = try #require(try workspace.latestRun())

        let gates = try json(try workspace.run(["gates", "--output", "json"]).stdout)
        #expect(gates.count == 1)
        let gate = try #require(gates.first)
        #expect(gate["run"] as? String == run)
        #expect(gate["step"] as? String == "restart")
        #expect(gate["question"] as? String == "Restart the API?")
        #expect(gate["default"] as? String == "deny")
        #expect(gate["min_approvals"] as? Int == 2)
        #expect(gate["approvals_needed"] as? Int == 2)
        #expect(gate["expires_at"] is String)
        let text = try workspace.run(["gates"]).stdout
        #expect(text.contains("2 of 2"), "\(text)")
        #expect(text.contains("in 9m") || text.contains("in 10m"), "\(text)")

        #expect(try workspace.run(["gates", "--mine"]).stdout == "no gate waits for you\n")
        #expect(try workspace.run(["gates", "--mine"], user: "bob").stdout.contains("Restart the API?"))

        let waitingRuns = try json(try workspace.run(["runs", "--status", "waiting", "--output", "json"]).stdout)
        #expect(waitingRuns.map { $0["id"] as? String } == [run])
        let healthRuns = try json(try workspace.run(["runs", "--runbook", "health", "--output", "json"]).stdout)
        #expect(healthRuns.count == 1)
        #expect(healthRuns.first?["status"] as? String == "succeeded")
        #expect(try json(try workspace.run(["runs", "--since", "1h", "--output", "json"]).stdout).count == 2)
        #expect(try json(try workspace.run(["runs", "--incident", "INC-none", "--output", "json"]).stdout).isEmpty)

        // bob approves by a prefix of the id; carol by the full id: the run goes on.
        let prefix = String(run.prefix(run.count - 2))
        #expect(try workspace.run(["approve", prefix, "restart"], user: "bob").status == 0)
        #expect(try workspace.run(["approve", run, "restart"], user: "carol").status == 0)
        #expect(exec.wait(seconds: 30).status == 0)
        #expect(try workspace.run(["gates"]).stdout == "no gate is waiting\n")
    }

    @Test("a gate's question built from hostile input is shown escaped: no escape sequence or line reaches the terminal")
    func hostileQuestion() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("ask", """
            inputs:
              why: { default: "" }
            steps:
              - id: act
                run: echo acting
                confirm: { message: "Proceed? ${{ inputs.why }}" }
            """)
        let exec = try workspace.start(["exec", "ask", "-i", "why=\u{1B}[2J\nfake line"])
        defer { exec.signal(SIGKILL) }
        #expect(try workspace.waitFor { try workspace.run(["gates"]).stdout.contains("Proceed?") })
        let text = try workspace.run(["gates"]).stdout
        #expect(!text.contains("\u{1B}"), "\(text)")
        #expect(text.split(separator: "\n").count == 2, "a header and one row: \(text)")
    }

    @Test("@last is the newest run the person started; a prefix two runs share is refused with both")
    func naming() throws {
        let workspace = try workspace()
        #expect(try workspace.run(["exec", "health"]).status == 0)
        let first = try #require(try workspace.latestRun())
        #expect(try workspace.run(["exec", "health"]).status == 0)
        let second = try #require(try workspace.latestRun())
        let status = try workspace.run(["status", "@last", "--output", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"id\": \"\(second)\""), "\(status.stdout)")
        let shared = String(zip(first, second).prefix { $0 == $1 }.map(\.0))
        let ambiguous = try workspace.run(["status", shared])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("'\(shared)' names 2 runs"), "\(ambiguous.stderr)")
        #expect(ambiguous.stderr.contains(first) && ambiguous.stderr.contains(second))
        let nobody = try workspace.run(["log", "@last"], user: "bob")
        if TestAccounts.canSwitch {
            #expect(nobody.status == 2)
            #expect(nobody.stderr.contains("has started no run"), "\(nobody.stderr)")
        }
    }
}

/// Commands that only read never create a store, say which store they read, and take a mistaken store or command
/// name as the usage mistake it is (exit 2).
@Suite("Reading where nothing has run")
struct NoStoreYetTests {
    @Test("runs and gates say there is no store yet and create none; status, log and audit refuse with exit 2")
    func readsCreateNothing() throws {
        let workspace = try TemporaryWorkspace()
        let store = ".runbook/state.db"
        let runs = try workspace.run(["runs"])
        #expect(runs.status == 0)
        #expect(runs.stderr == "no store at sqlite:\(store) yet; the first 'runbook exec' creates it\n")
        #expect(try workspace.run(["gates", "--output", "json"]).stdout == "[]\n")
        for command in [["status", "r-1"], ["log", "r-1"], ["audit", "verify"], ["timeline", "r-1"]] {
            let result = try workspace.run(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("no store at sqlite:\(store) yet"), "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path(".runbook")))
    }

    @Test("an unknown store or command is a usage mistake, with the nearest command name")
    func usage() throws {
        let workspace = try TemporaryWorkspace()
        let store = try workspace.run(["runs", "--store", "foo"])
        #expect(store.status == 2)
        #expect(store.stderr.contains("unknown store 'foo'"), "\(store.stderr)")
        let command = try workspace.run(["exex", "api-down"])
        #expect(command.status == 2)
        #expect(command.stderr == "error: unknown command 'exex' (did you mean 'exec'?)\n"
                + "    help: 'runbook --help' lists the commands\n")
    }
}

/// `validate --env` checks every `env.NAME` a runbook reads against the environment's `vars`.
@Suite("validate --env")
struct ValidateEnvironmentTests {
    private func workspace() throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(config: """
            environments:
              prod: { vars: { api_url: "https://api.example" } }
              dev: { vars: { api_url: "http://localhost:8080", debug: "1" } }
            """)
        try workspace.runbook("probe", """
            steps:
              - id: health
                action: http.check
                with: { url: "${{ env.api_ulr }}/health" }
              - id: trace
                run: echo ${{ env.debug }}
                mutating: false
            """)
        return workspace
    }

    @Test("--env prod: a typo and a name prod lacks are errors at their places, with the nearest name")
    func strict() throws {
        let workspace = try workspace()
        let result = try workspace.run(["validate", "--env", "prod"])
        #expect(result.status == 2)
        let file = workspace.path("runbooks/probe.yaml")
        #expect(result.stderr.contains(
            "\(file):5:23: error: env.api_ulr is not a variable of environment 'prod' (did you mean 'api_url'?)"),
            "\(result.stderr)")
        #expect(result.stderr.contains("\(file):7:19: error: env.debug is not a variable of environment 'prod'\n"),
                "\(result.stderr)")
        let unknown = try workspace.run(["validate", "--env", "prd"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no environment 'prd'"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("(did you mean 'prod'?)"), "\(unknown.stderr)")
    }

    @Test("without --env: warnings naming the environments that lack the name; the runbook stays valid")
    func lenient() throws {
        let result = try workspace().run(["validate"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: env.api_ulr is not a variable of environments 'dev', 'prod'"),
                "\(result.stderr)")
        #expect(result.stderr.contains("warning: env.debug is not a variable of environment 'prod'\n"),
                "\(result.stderr)")
    }
}
