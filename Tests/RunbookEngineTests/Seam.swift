import Foundation
import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Synchronization

/// The real engine run in this process: a runbook read from YAML, scripted actions registered by name, and a store
/// the test can watch and break.
struct Seam {
    /// The run every seam test starts.
    static let run = "run-1"

    /// What the actions did.
    let journal: Journal
    /// Where the run's events go.
    var store: ScriptedStore
    /// Raised to cancel the run.
    let cancellation = CancellationSignal()
    /// Raised to launch no more steps (a draining server).
    let drain = DrainSignal()
    /// Answers gates at the "terminal"; nil when nobody is there.
    var prompter: (any GatePrompter)?
    /// The actions the runbook may name, beside the built-in ones.
    private(set) var actions: [ScriptedAction] = []

    /// A seam whose actions note what they do in `journal`, and whose store is `store` (a fresh in-memory one, by
    /// default).
    init(journal: Journal = Journal(), store: ScriptedStore? = nil) {
        self.journal = journal
        self.store = store ?? ScriptedStore()
    }

    /// Registers `name`, doing `body`.
    mutating func action(
        _ name: String, mutating: Bool = false, prepares: Bool = false, _ body: @escaping ScriptedAction.Body = { _ in [:] }
    ) {
        actions.append(ScriptedAction(name, journal: journal, mutating: mutating, prepares: prepares, body))
    }

    /// The built-in actions' specs and the scripted ones'.
    var catalog: ActionCatalog { ActionCatalog(ActionCatalog.builtin.specs + actions.map(\.spec)) }

    /// The options of a run of `yaml`, read as the runbook `seam.yaml`, started by alice.
    func options(_ yaml: String) throws -> RunOptions {
        let runbook = try RunbookLoader(catalog: catalog).load(text: yaml, file: "seam.yaml").get()
        var options = RunOptions(
            runbook: runbook, inputs: [:], runID: Self.run, incident: "inc-1", severity: runbook.severity,
            starter: "alice", workingDirectory: FileManager.default.currentDirectoryPath)
        options.opensIncident = true
        return options
    }

    /// The engine with the scripted actions.
    var executor: Executor {
        Executor(
            store: store, actions: Dictionary(uniqueKeysWithValues: actions.map { ($0.spec.name, $0 as any Action) }),
            catalog: catalog, observer: RecordingObserver(), prompter: prompter, cancellation: cancellation,
            drain: drain)
    }

    /// Runs `yaml` to its end.
    func run(_ yaml: String) async throws -> RunStatus {
        try await executor.start(try options(yaml))
    }

    /// The run's events, in log order.
    func events() async throws -> [AuditEvent] { try await store.inner.events(run: Self.run) }

    /// The run's events of `type` (of `step`, when given).
    func events(_ type: String, step: String? = nil) async throws -> [AuditEvent] {
        try await events().filter { $0.type == type && (step == nil || $0.step == step) }
    }
}

/// An observer that keeps what it is shown.
final class RecordingObserver: RunObserver {
    private let seen = Mutex<(events: [AuditEvent], lines: [String])>(([], []))

    func recorded(_ event: AuditEvent) { seen.withLock { $0.events.append(event) } }

    func output(step: String, line: OutputLine) { seen.withLock { $0.lines.append("\(step): \(line.text)") } }

    /// The events shown, in the order they were shown.
    var events: [AuditEvent] { seen.withLock { $0.events } }

    /// The output lines shown, as `STEP: TEXT`.
    var lines: [String] { seen.withLock { $0.lines } }
}

/// Answers every gate at the "terminal" with `approve`, keeping the requests.
final class ScriptedPrompter: GatePrompter {
    private let approve: Bool
    private let asked = Mutex<[GateRequest]>([])

    init(approve: Bool) { self.approve = approve }

    func ask(_ gate: GateRequest) async -> Bool? {
        asked.withLock { $0.append(gate) }
        return approve
    }

    /// The gates asked, in order.
    var requests: [GateRequest] { asked.withLock { $0 } }
}
