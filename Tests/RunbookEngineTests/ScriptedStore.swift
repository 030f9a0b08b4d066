import RunbookStore
import Synchronization

/// An event store that passes everything to another and keeps each committed batch, in the order the commits
/// returned; it can fail from a chosen append on (a disk that filled up), and run hooks around each append (a commit
/// that takes its time, another person answering a gate).
final class ScriptedStore: EventStore {
    /// Whether an append of these drafts fails, and every append after it.
    typealias Failure = @Sendable ([EventDraft]) -> Bool
    /// Runs before an append reaches the store.
    typealias Before = @Sendable ([EventDraft]) async -> Void
    /// Runs after an append was stored, with the store underneath.
    typealias After = @Sendable ([AuditEvent], any EventStore) async -> Void

    let inner: any EventStore
    private let journal: Journal?
    private let fails: Failure
    private let before: Before
    private let after: After
    private let state = Mutex<(batches: [[String]], failed: Bool)>(([], false))

    /// A store in front of `inner` (an empty in-memory store by default), noting `committed …` in `journal`.
    init(
        _ inner: any EventStore = InMemoryEventStore(), journal: Journal? = nil, failing fails: @escaping Failure = { _ in false },
        before: @escaping Before = { _ in }, after: @escaping After = { _, _ in }
    ) {
        self.inner = inner
        self.journal = journal
        self.fails = fails
        self.before = before
        self.after = after
    }

    /// The batches committed, each as its events' labels (`step.started a`).
    var batches: [[String]] { state.withLock { $0.batches } }

    /// Every event of `run` in the store, as labels.
    func trail(run: String = Seam.run) async throws -> [String] {
        try await inner.events(run: run).map(\.label)
    }

    func append(_ drafts: [EventDraft]) async throws(StoreError) -> [AuditEvent] {
        try await passing(drafts) { () async throws(StoreError) in try await inner.append(drafts) } ?? []
    }

    func append(_ drafts: [EventDraft], if condition: AppendCondition) async throws(StoreError) -> [AuditEvent]? {
        try await passing(drafts) { () async throws(StoreError) in try await inner.append(drafts, if: condition) }
    }

    private func passing(
        _ drafts: [EventDraft], _ append: () async throws(StoreError) -> [AuditEvent]?
    ) async throws(StoreError) -> [AuditEvent]? {
        await before(drafts)
        let failed = state.withLock { state in
            state.failed = state.failed || fails(drafts)
            return state.failed
        }
        if failed {
            journal?.note("store failed")
            throw StoreError("the disk is full", code: .unavailable)
        }
        guard let stored = try await append() else { return nil }
        state.withLock { $0.batches.append(stored.map(\.label)) }
        journal?.note("committed " + stored.map(\.label).joined(separator: ", "))
        await after(stored, inner)
        return stored
    }

    func events(run: String) async throws(StoreError) -> [AuditEvent] { try await inner.events(run: run) }

    func events(run: String, after seq: Int64, types: [String]?) async throws(StoreError) -> [AuditEvent] {
        try await inner.events(run: run, after: seq, types: types)
    }

    func events(incident: String) async throws(StoreError) -> [AuditEvent] {
        try await inner.events(incident: incident)
    }

    func events(after seq: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try await inner.events(after: seq, limit: limit)
    }

    func recentRuns(limit: Int) async throws(StoreError) -> [String] { try await inner.recentRuns(limit: limit) }

    func head() async throws(StoreError) -> AuditHead? { try await inner.head() }

    func waitForEvents(after seq: Int64, timeout: Duration) async throws(StoreError) -> Bool {
        try await inner.waitForEvents(after: seq, timeout: timeout)
    }

    func verify() async throws(StoreError) -> VerificationReport { try await inner.verify() }
}

extension AuditEvent {
    /// The event's type, and its step when it has one: `step.started a`.
    var label: String { step.map { "\(type) \($0)" } ?? type }
}

extension EventDraft {
    /// The draft's type, and its step when it has one: `step.started a`.
    var label: String { step.map { "\(type) \($0)" } ?? type }
}
