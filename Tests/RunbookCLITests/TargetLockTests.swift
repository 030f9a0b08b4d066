import Foundation
import RunbookTestPeers
import Testing

/// One hand on a target at a time: a step that locks a target another run's step holds waits for it (recorded as
/// `lock.waiting`, shown as "waiting for run R, which holds …"), up to its time limit.
@Suite("Target locks")
struct TargetLockTests {
    /// A workspace whose `restart` step holds `svc:api` for `seconds`, writing when it begins and ends.
    private func workspace(holding seconds: Double = 1.5, timeout: String? = nil) throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("restart-api", """
            inputs:
              who: { default: a, pattern: '^[a-z]$' }
            steps:
              - id: restart
                lock: svc:api
                run: echo "$WHO begins" >> marker; sleep \(seconds); echo "$WHO ends" >> marker
                env: { WHO: "${{ inputs.who }}" }
                mutating: true
                confirm: false
            \(timeout.map { "    timeout: \($0)" } ?? "")
            """)
        return workspace
    }

    private func marker(_ workspace: TemporaryWorkspace) -> String {
        (try? String(contentsOfFile: workspace.path("marker"), encoding: .utf8)) ?? ""
    }

    @Test("a second run's step waits for the first to end, says for whom, and then acts")
    func waits() throws {
        let workspace = try workspace()
        let first = try workspace.start(["exec", "restart-api", "-i", "who=a"])
        #expect(try workspace.waitFor { marker(workspace) == "a begins\n" })
        let firstRun = try #require(try workspace.latestRun())
        let second = try workspace.start(["exec", "restart-api", "-i", "who=b"])
        #expect(first.wait(seconds: 30).status == 0)
        let result = second.wait(seconds: 30)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(marker(workspace) == "a begins\na ends\nb begins\nb ends\n")
        #expect(result.stdout.contains("⏳ restart waiting for run \(firstRun), which holds svc:api"), "\(result.stdout)")
        let waiting = try workspace.events().filter { $0["type"] as? String == "lock.waiting" }
        #expect(waiting.count == 1)
        let data = waiting.first?["data"] as? [String: Any]
        #expect(data?["lock"] as? String == "svc:api")
        #expect(data?["held_by_run"] as? String == firstRun)
        let started = try workspace.events().filter { $0["type"] as? String == "step.started" }
        #expect(started.allSatisfy { ($0["data"] as? [String: Any])?["locks"] as? [String] == ["svc:api"] })
    }

    @Test("a step that waits longer than its timeout fails without acting")
    func timesOut() throws {
        let workspace = try workspace(holding: 0.1, timeout: "400ms")
        try workspace.runbook("hold-api", """
            steps:
              - id: hold
                lock: svc:api
                run: echo "a begins" >> marker; sleep 3
                mutating: false
            """)
        let first = try workspace.start(["exec", "hold-api"])
        #expect(try workspace.waitFor { marker(workspace) == "a begins\n" })
        let result = try workspace.run(["exec", "restart-api", "-i", "who=b"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("still holds svc:api after"), "\(result.stdout)")
        #expect(!marker(workspace).contains("b begins"))
        first.signal(SIGINT)
        _ = first.wait(seconds: 30)
    }

    @Test("kill -9 of the run that holds a target frees it at once: the next run's step does not wait")
    func killedHolder() throws {
        let workspace = try workspace(holding: 0.1)
        try workspace.runbook("hold-api", """
            steps:
              - id: hold
                lock: svc:api
                run: echo "a begins" >> marker; sleep 3
                mutating: false
            """)
        let holder = try workspace.start(["exec", "hold-api"])
        #expect(try workspace.waitFor { marker(workspace) == "a begins\n" })
        holder.signal(SIGKILL)
        _ = holder.wait(seconds: 10)
        let result = try workspace.run(["exec", "restart-api", "-i", "who=b"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("waiting for run"), "\(result.stdout)")
        #expect(marker(workspace).hasSuffix("b begins\nb ends\n"))
    }

    @Test("a lock: that is not a plain name is refused at its place")
    func badName() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("bad-lock", """
            steps:
              - id: restart
                lock: "svc ${{ inputs.x }}"
                run: echo hi
            """)
        let result = try workspace.run(["validate", "runbooks/bad-lock.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad-lock.yaml:4:11: error: 'lock' of step 'restart' must be a plain name"),
                "\(result.stderr)")
    }
}
