import Foundation
import RunbookTestPeers
import Testing

/// A dropped SSH session (SIGHUP) or a closed output pipe (`runbook exec … | head`) during a mutating step stops
/// nothing: the step runs once, to its end, the run finishes with its own status, and `run.detached` records why
/// nobody saw it.
@Suite("A run outlives its terminal")
struct DetachedViewTests {
    /// A workspace with `drain`: a mutating step of a second that appends one line to `marker` when it ends.
    private func workspace() throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("drain", """
            steps:
              - id: drain
                run: sleep 1; echo once >> marker
                mutating: true
                confirm: false
              - id: after
                needs: [drain]
                run: echo drained
                mutating: false
            """)
        return workspace
    }

    /// The events of the newest run, as `(type, data)`.
    private func events(_ workspace: TemporaryWorkspace) throws -> [(type: String, data: [String: Any])] {
        try workspace.events().map { ($0["type"] as? String ?? "", $0["data"] as? [String: Any] ?? [:]) }
    }

    private func marker(_ workspace: TemporaryWorkspace) -> String {
        (try? String(contentsOfFile: workspace.path("marker"), encoding: .utf8)) ?? ""
    }

    @Test("SIGHUP in the middle of a mutating step: the step runs once and the run succeeds")
    func hangUp() throws {
        let workspace = try workspace()
        let exec = try workspace.start(["exec", "drain"])
        #expect(try workspace.waitFor { try events(workspace).contains { $0.type == "step.started" } })
        exec.signal(SIGHUP)
        let result = exec.wait(seconds: 30)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(marker(workspace) == "once\n")
        let recorded = try events(workspace)
        let detached = recorded.first { $0.type == "run.detached" }
        #expect(detached?.data["reason"] as? String == "the terminal hung up (SIGHUP)")
        #expect(recorded.last?.type == "run.finished")
        #expect(recorded.last?.data["status"] as? String == "succeeded")
    }

    @Test("its output piped into a program that stops reading: the step runs once and the run succeeds")
    func closedPipe() throws {
        let workspace = try workspace()
        // `head -c 1` exits after the first byte; everything exec prints after that meets a closed pipe.
        let script = #"{ "$0" exec drain; echo $? > status; } | head -c 1 >/dev/null"#
        let result = try RunbookBinary.runProgram("/bin/sh", ["-c", script, RunbookBinary.path], in: workspace.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try workspace.waitFor {
            (try? String(contentsOfFile: workspace.path("status"), encoding: .utf8)) != nil
        })
        #expect(try String(contentsOfFile: workspace.path("status"), encoding: .utf8) == "0\n")
        #expect(marker(workspace) == "once\n")
        let recorded = try events(workspace)
        let detached = recorded.first { $0.type == "run.detached" }
        #expect(detached?.data["reason"] as? String == "the pipe stdout goes to closed (EPIPE)",
                "\(recorded.map(\.type)) \(result.stderr)")
        #expect(recorded.last?.data["status"] as? String == "succeeded")
    }

    @Test("log shows the detachment and how to follow the run")
    func logLine() throws {
        let workspace = try workspace()
        let exec = try workspace.start(["exec", "drain"])
        #expect(try workspace.waitFor { try events(workspace).contains { $0.type == "step.started" } })
        exec.signal(SIGHUP)
        #expect(exec.wait(seconds: 30).status == 0)
        let run = try #require(try workspace.latestRun())
        let log = try workspace.run(["log", run])
        #expect(log.stdout.contains("⚠ detached: the terminal hung up (SIGHUP); the run carries on "
                                    + "(follow it: runbook log -f \(run))"), "\(log.stdout)")
    }
}
