import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

@testable import RunbookCLI

/// `runbook log --follow` waits on the store: an event another writer appends is printed at once, not at the next
/// look, and the command ends at `run.finished`.
@Suite("log --follow")
struct LogFollowTests {
    /// Longer than the store's own look at its head, shorter than `--follow`'s liveness check: a follower that only
    /// woke at its timeout would miss it.
    static let promptly: Duration = .milliseconds(800)

    /// Waits until `text` holds `count` lines, up to `limit`; how long it took, or nil.
    static func lines(_ count: Int, in text: CapturedText, within limit: Duration) async -> Duration? {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < limit {
            if text.value.split(separator: "\n").count >= count { return clock.now - start }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    @Test("prints what another writer appends promptly, and ends at run.finished")
    func followsAnotherWriter() async throws {
        let workspace = try TemporaryWorkspace()
        let run = "r-20261123-090000-f011"
        let writer = try SQLiteEventStore(path: workspace.path(".runbook/state.db"))
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
        let (stdout, stderr) = (CapturedText(), CapturedText())
        let follow = InProcessRunbook(workspace).start(
            ["log", run, "--follow", "--output", "json"], stdout: stdout, stderr: stderr)
        #expect(await Self.lines(1, in: stdout, within: .seconds(30)) != nil, "\(stderr.value)")

        _ = try await append(EventType.noteAdded, run: "r-20261123-090001-0ther", ["text": "another run"])
        expected.append(try await append(EventType.stepStarted, step: "hello", ["action": "shell"]))
        let started = try #require(await Self.lines(2, in: stdout, within: .seconds(30)))
        #expect(started < Self.promptly)
        expected.append(try await append(EventType.stepFinished, step: "hello", ["outcome": "success"]))
        let finished = try #require(await Self.lines(3, in: stdout, within: .seconds(30)))
        #expect(finished < Self.promptly)
        expected.append(try await append(EventType.runFinished, ["status": "succeeded", "exit_code": 0]))

        #expect(await follow.value == .success)
        #expect(stdout.value == expected.map { $0.line + "\n" }.joined())
        #expect(stderr.value == "")
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
