import Foundation
import RunbookTestPeers
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `exec --detach` and `attach` (issue 19, part 2), through the built binary.
extension ExecTests {
    /// A step that reads, then a gated one that changes.
    static let gatedRunbook = """
        steps:
          - { id: check, run: "echo checking", mutating: false }
          - { id: fix, run: "echo fixing", confirm: "Fix?", needs: [check] }
        """

    /// `runbook exec fix --detach` in `workspace`: the run's id, its runner's pid, and the run parked at its gate.
    func detached(in workspace: TemporaryWorkspace) throws -> (run: String, pid: Int32) {
        let launched = try workspace.run(["exec", "fix", "--detach", "--output", "json"])
        #expect(launched.status == 0, "\(launched.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(launched.stdout.utf8)) as? [String: Any]
        let run = try #require(object?["run"] as? String)
        let number = try #require(object?["pid"] as? Int)
        let pid = Int32(number)
        #expect(object?["incident"] as? String != nil)
        #expect(workspace.waitFor {
            (try? workspace.run(["status", run]).stdout.contains("waiting at gate")) == true
        })
        return (run, pid)
    }

    @Test("exec --detach prints the run's id once run.started is durable; the runner leads a session of its own")
    func detachPrintsRunID() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("fix", Self.gatedRunbook)
        let text = try workspace.run(["exec", "fix", "--detach"])
        #expect(text.status == 0, "\(text.stderr)")
        let first = text.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(first.hasPrefix("r-"), "\(text.stdout)")
        #expect(text.stderr.contains("runbook attach \(first)"))
        #expect(events(try workspace.events(), "run.started").contains { $0["run"] as? String == first })
        let (run, pid) = try detached(in: workspace)
        #expect(getsid(pid) == pid, "the runner is not a session leader")
        #expect(FileManager.default.fileExists(atPath: workspace.path(".runbook/logs/\(run).log")))
        let refused = try workspace.run(["exec", "fix", "--detach", "--dry-run"])
        #expect(refused.status == 2, "\(refused.stderr)")
        for id in [first, run] { #expect(try workspace.run(["approve", id, "fix"], user: "bob").status == 0) }
        #expect(workspace.waitFor {
            (try? workspace.run(["status", run]).stdout.contains("succeeded")) == true
        })
    }

    @Test("attach shows the run and answers its gate at the terminal (via attach); the run finishes",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func attachAnswersGate() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("fix", Self.gatedRunbook)
        let (run, _) = try detached(in: workspace)
        let command = "cd '\(workspace.root.path)' && NO_COLOR=1 RUNBOOK_USER=erin '\(RunbookBinary.path)' attach \(run)"
        let output = workspace.root.appendingPathComponent("terminal-\(UUID().uuidString)").path
        let process = try PeerProcess(
            "/usr/bin/script", ["-qfec", command, "/dev/null"], output: output, error: output, pipeInput: true)
        Thread.sleep(forTimeInterval: 1.5)
        process.write("y\n")
        let status = process.wait(seconds: 60)
        let screen = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        #expect(status == 0, "\(screen)")
        #expect(screen.contains("✓ check"), "\(screen)")
        #expect(screen.contains("Gate:") && screen.contains("Fix?"), "\(screen)")
        #expect(screen.contains("run succeeded"), "\(screen)")
        let approval = try #require(events(try workspace.events(), "gate.approved", step: "fix").first)
        #expect((approval["data"] as? [String: Any])?["via"] as? String == "attach", "\(approval)")
    }

    @Test("leaving attach (Ctrl-C) leaves the run running in its runner")
    func leavingAttachLeavesRun() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("fix", Self.gatedRunbook)
        let (run, pid) = try detached(in: workspace)
        let attach = try workspace.start(["attach", run])
        #expect(workspace.waitFor { attach.stdout.contains("Fix?") }, "\(attach.stdout)")
        attach.signal(SIGINT)
        _ = attach.wait()
        #expect(kill(pid, 0) == 0, "the runner ended with attach")
        #expect(try workspace.run(["status", run]).stdout.contains("waiting at gate"))
        #expect(try workspace.run(["approve", run, "fix"], user: "bob").status == 0)
        #expect(workspace.waitFor {
            (try? workspace.run(["status", run]).stdout.contains("succeeded")) == true
        })
    }
}
