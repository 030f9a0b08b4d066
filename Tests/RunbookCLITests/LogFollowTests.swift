import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

@testable import RunbookCLI

/// `runbook log --follow` waits on the store: an event another writer appends while it waits wakes it and is printed,
/// and the command ends at `run.finished`.
@Suite("log --follow")
struct LogFollowTests {
    @Test("prints what another writer appends while it waits on the store, and ends at run.finished")
    func followsAnotherWriter() async throws {
        let workspace = try TemporaryWorkspace()
        let run = "r-20261123-090000-f011"
        let path = workspace.path(".runbook/state.db")
        let writer = try SQLiteEventStore(path: path)
        func draft(_ type: String, step: String? = nil, run: String = run, _ data: Value = [:]) -> EventDraft {
            EventDraft(run: run, incident: "INC-9", type: type, step: step, actor: .system, data: data)
        }
        _ = try await writer.append([draft(EventType.runStarted, ["runbook": "greet", "title": "Say hello"])])
        // What the other writer appends, one event as each of the follower's waits begins: another run's first.
        let script = [
            draft(EventType.noteAdded, run: "r-20261123-090001-0ther", ["text": "another run"]),
            draft(EventType.stepStarted, step: "hello", ["action": "shell"]),
            draft(EventType.stepFinished, step: "hello", ["outcome": "success"]),
            draft(EventType.runFinished, ["status": "succeeded", "exit_code": 0]),
        ]
        // The run's process, as far as `log` can tell: the lease a live run holds.
        let lease = try RunLease(directory: workspace.path(".runbook"), run: run)
        // The follower reads through a connection of its own, as another process would.
        let reader = WaitRecordingStore(try SQLiteEventStore(path: path)) { index in
            guard script.indices.contains(index) else { return }
            _ = try? await writer.append([script[index]])
        }
        let result = await InProcessRunbook(workspace, openStore: { _ in reader })
            .run(["log", run, "--follow", "--output", "json"])

        #expect(result.status == .success)
        let events = try await writer.events(run: run)
        #expect(events.count == 4)
        #expect(result.stdout == events.map { $0.line + "\n" }.joined())
        #expect(result.stderr == "")
        // One wait per event the other writer appended, each ended by the store for that event, none at its timeout.
        let waits = reader.waits
        #expect(waits.count == script.count, "\(waits)")
        #expect(waits.allSatisfy { $0.woken && $0.timeout == LogCommand.livenessInterval }, "\(waits)")
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
        #expect(result.status == .stepFailed)
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stderr == "error: run \(run) is not running (interrupted?); 'runbook status \(run)' tells more\n")
    }
}
