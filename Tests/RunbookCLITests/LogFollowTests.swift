import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

@testable import RunbookCLI

/// `runbook log --follow` waits on the store: an event another writer appends wakes it and is printed at once, not
/// at its next look, and the command ends at `run.finished`.
@Suite("log --follow")
struct LogFollowTests {
    /// Waits until `text` holds `count` lines, up to 30 s; whether it did.
    static func lines(_ count: Int, in text: CapturedText) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline {
            if text.value.split(separator: "\n").count >= count { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test("prints what another writer appends as the store wakes it, and ends at run.finished")
    func followsAnotherWriter() async throws {
        let workspace = try TemporaryWorkspace()
        let run = "r-20261123-090000-f011"
        let path = workspace.path(".runbook/state.db")
        let writer = try SQLiteEventStore(path: path)
        func append(_ type: String, step: String? = nil, run: String = run, _ data: Value = [:]) async throws
            -> AuditEvent
        {
            let stored = try await writer.append([EventDraft(
                run: run, incident: "INC-9", type: type, step: step, actor: .system, data: data)])
            return try #require(stored.first)
        }
        var expected = [try await append(EventType.runStarted, ["runbook": "greet", "title": "Say hello"])]
        // The run's process, as far as `log` can tell: the lease a live run holds.
        let lease = try RunLease(directory: workspace.path(".runbook"), run: run)
        // The follower reads through its own connection, as another process would.
        let reader = WaitRecordingStore(try SQLiteEventStore(path: path))
        let (stdout, stderr) = (CapturedText(), CapturedText())
        let follow = InProcessRunbook(workspace, openStore: { _ in reader }).start(
            ["log", run, "--follow", "--output", "json"], stdout: stdout, stderr: stderr)
        #expect(await Self.lines(1, in: stdout), "\(stderr.value)")

        _ = try await append(EventType.noteAdded, run: "r-20261123-090001-0ther", ["text": "another run"])
        expected.append(try await append(EventType.stepStarted, step: "hello", ["action": "shell"]))
        #expect(await Self.lines(2, in: stdout))
        expected.append(try await append(EventType.stepFinished, step: "hello", ["outcome": "success"]))
        #expect(await Self.lines(3, in: stdout))
        expected.append(try await append(EventType.runFinished, ["status": "succeeded", "exit_code": 0]))

        #expect(await follow.value == .success)
        #expect(stdout.value == expected.map { $0.line + "\n" }.joined())
        #expect(stderr.value == "")
        // Each of the three events after the first was printed because the store woke the follower for it (a wait
        // may also end for the other run's event, or at its timeout on a loaded machine; none is a sleep).
        let waits = reader.waits
        #expect(waits.filter(\.woken).count >= 3, "\(waits)")
        #expect(waits.allSatisfy { $0.timeout == LogCommand.livenessInterval }, "\(waits)")
        withExtendedLifetime(lease) {}
    }

    @Test("a run whose process is gone is reported, not waited for")
    func stopsForAnInterruptedRun() async throws {
        let workspace = try TemporaryWorkspace()
        let run = "r-20261123-090000-dead"
        let writer = try SQLiteEventStore(path: workspace.path(".runbook/state.db"))
        _ = try await writer.append([EventDraft(
            run: run, type: EventType.runStarted, actor: .system, data: ["runbook": "greet"])])
        let result = await InProcessRunbook(workspace).run(["log", run, "--follow", "--output", "json"])
        #expect(result.status == .success)
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stderr == "error: run \(run) is not running (interrupted?); 'runbook status \(run)' tells more\n")
    }
}
