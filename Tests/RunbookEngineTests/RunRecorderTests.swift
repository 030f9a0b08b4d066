import RunbookActions
import RunbookLanguage
import RunbookStore
import Testing

@testable import RunbookEngine

/// The durability rule, on the one type that keeps it: held events go out in order with the next event or before
/// anything else, and a step's action is let go only once its start is committed.
@Suite("Run recorder")
struct RunRecorderTests {
    /// A `step.started` payload for the tests' drafts.
    static let started = StepStarted(action: "shell", mutating: false, parameters: [:], timeoutMilliseconds: nil)

    static let runbook = """
        name: seam
        steps:
          - id: a
            action: log
            with: { message: hi }
        """

    /// A recorder of the seam's run into `store`.
    static func recorder(_ store: ScriptedStore, secrets: [String] = [], observer: RecordingObserver = RecordingObserver())
        throws -> RunRecorder
    {
        var options = try Seam().options(runbook)
        options.redactor = Redactor(secrets: secrets)
        return RunRecorder(store: store, observer: observer, options: options)
    }

    static func note(_ recorder: RunRecorder, _ step: String) -> EventDraft {
        recorder.draft(NoteAdded(text: step), step: step)
    }

    @Test("held events go out with the next event, in the order they were held, in one commit")
    func heldGoOutWithTheNext() async throws {
        let store = ScriptedStore()
        let recorder = try Self.recorder(store)
        recorder.hold(recorder.draft(RunStarted(data: [:])))
        recorder.holdEnd(of: StepResult(id: "a", outcome: .success), reason: nil)
        recorder.holdEnd(of: StepResult(id: "b", outcome: .skipped), reason: "its condition is false")
        #expect(store.batches.isEmpty)
        try await recorder.record(recorder.draft(Self.started, step: "c"))
        #expect(store.batches == [["run.started", "step.finished a", "step.finished b", "step.started c"]])
        let skipped = try #require(try await store.inner.events(run: Seam.run).first { $0.step == "b" })
        #expect(skipped.data.member("reason") == "its condition is false")
        #expect(skipped.data.member("outcome") == "skipped")
    }

    @Test("a flush commits what is held on its own, and nothing when nothing is held")
    func flush() async throws {
        let store = ScriptedStore()
        let recorder = try Self.recorder(store)
        try await recorder.flush()
        #expect(store.batches.isEmpty)
        recorder.holdEnd(of: StepResult(id: "a", outcome: .failure, error: "no"), reason: nil)
        try await recorder.flush()
        try await recorder.flush()
        #expect(store.batches == [["step.finished a"]])
    }

    @Test("held events stay owed to a step launched alone until it reports, and are committed otherwise")
    func owedToTheLoneStep() async throws {
        let store = ScriptedStore()
        let recorder = try Self.recorder(store)
        recorder.hold(Self.note(recorder, "x"))
        try await recorder.launching(1, running: 1)
        try await recorder.launching(0, running: 1)
        #expect(store.batches.isEmpty, "the step launched alone commits them with its first event")
        recorder.stepReported()
        try await recorder.launching(0, running: 1)
        #expect(store.batches == [["note.added x"]])
        recorder.hold(Self.note(recorder, "y"))
        try await recorder.launching(2, running: 2)
        recorder.hold(Self.note(recorder, "z"))
        try await recorder.launching(1, running: 2)
        #expect(store.batches == [["note.added x"], ["note.added y"], ["note.added z"]])
    }

    @Test("a prepared attempt is let go only after its step's start is committed")
    func startAfterCommit() async throws {
        let journal = Journal()
        let store = ScriptedStore(journal: journal)
        let recorder = try Self.recorder(store)
        let action = ScriptedAction("scripted", journal: journal, prepares: true) { _ throws(ActionFailure) in [:] }
        let attempt = try #require(try action.prepare(ActionContext(parameters: [:], stepID: "a", runID: Seam.run,
                                                                    workingDirectory: "/")))
        recorder.hold(Self.note(recorder, "x"))
        let started = try await recorder.start(attempt, after: recorder.draft(Self.started, step: "a"))
        #expect(started)
        #expect(journal.all == ["committed note.added x, step.started a", "a let go"])
    }

    @Test("a start that cannot be recorded abandons the attempt, which never acts")
    func abandonedWhenNotRecorded() async throws {
        let journal = Journal()
        let store = ScriptedStore(journal: journal, failing: { _ in true })
        let recorder = try Self.recorder(store)
        let action = ScriptedAction("scripted", journal: journal, prepares: true) { _ throws(ActionFailure) in [:] }
        let attempt = try action.prepare(ActionContext(parameters: [:], stepID: "a", runID: Seam.run, workingDirectory: "/"))
        await #expect(throws: StoreError.self) {
            _ = try await recorder.start(attempt, after: recorder.draft(Self.started, step: "a"))
        }
        #expect(journal.all == ["store failed", "a abandoned"])
    }

    @Test("a start recorded after the run was cancelled abandons the attempt")
    func abandonedWhenCancelled() async throws {
        let journal = Journal()
        let recorder = try Self.recorder(ScriptedStore(journal: journal))
        let action = ScriptedAction("scripted", journal: journal, prepares: true) { _ throws(ActionFailure) in [:] }
        let attempt = try action.prepare(ActionContext(parameters: [:], stepID: "a", runID: Seam.run, workingDirectory: "/"))
        let started = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                withUnsafeCurrentTask { $0?.cancel() }
                return (try? await recorder.start(
                    attempt, after: recorder.draft(Self.started, step: "a"))) ?? true
            }
            return await group.next() ?? true
        }
        #expect(!started)
        #expect(journal.all == ["committed step.started a", "a abandoned"])
    }

    @Test("a commit carrying held events is a barrier: what is recorded after it waits, what acts on nothing does not")
    func barrier() async throws {
        let journal = Journal()
        let release = Latch()
        let store = ScriptedStore(journal: journal, before: { drafts in
            journal.note("append " + drafts.map(\.label).joined(separator: ", "))
            if drafts.first?.step == "held" { await release.wait() }
        })
        let recorder = try Self.recorder(store)
        recorder.hold(Self.note(recorder, "held"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.record(Self.note(recorder, "first")) }
            #expect(await eventually { journal.notes("append").count == 1 })
            group.addTask { try await recorder.record(Self.note(recorder, "second")) }
            try await recorder.recordAside(Self.note(recorder, "aside"))
            try await Task.sleep(for: .milliseconds(5))
            #expect(journal.notes("append") == ["append note.added held, note.added first", "append note.added aside"])
            release.open()
            try await group.waitForAll()
        }
        #expect(store.batches == [["note.added aside"], ["note.added held", "note.added first"], ["note.added second"]])
    }

    @Test("the observer sees every event committed, and output lines redacted")
    func observer() async throws {
        let observer = RecordingObserver()
        let recorder = try Self.recorder(ScriptedStore(), secrets: ["hunter2"], observer: observer)
        recorder.hold(Self.note(recorder, "x"))
        try await recorder.record(Self.note(recorder, "y"))
        recorder.show(OutputLine(stream: .stdout, text: "password is hunter2"), of: "a")
        #expect(observer.events.map(\.label) == ["note.added x", "note.added y"])
        #expect(observer.lines == ["a: password is ***"])
    }
}
