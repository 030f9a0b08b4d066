import RunbookStore
import Synchronization

/// A store that forwards every call to another and records each ``waitForEvents(after:timeout:)``: whether a command
/// waited on the store, and whether the store woke it for a new event rather than at the timeout. What another writer
/// does while the command waits is given as ``duringWait``, so a test needs no timing to put it there.
final class WaitRecordingStore: EventStore {
    /// One call of ``waitForEvents(after:timeout:)``.
    struct Wait: Sendable {
        var after: Int64
        var timeout: Duration
        /// Whether it returned for a new event.
        var woken: Bool
    }

    private let store: any EventStore
    private let duringWait: @Sendable (_ index: Int) async -> Void
    private let recorded = Mutex<[Wait]>([])

    /// Forwards to `store`; `duringWait` runs as each wait begins, given how many came before it.
    init(_ store: any EventStore, duringWait: @escaping @Sendable (_ index: Int) async -> Void = { _ in }) {
        self.store = store
        self.duringWait = duringWait
    }

    /// Every wait so far, in order.
    var waits: [Wait] { recorded.withLock { $0 } }

    func waitForEvents(after seq: Int64, timeout: Duration) async throws(StoreError) -> Bool {
        await duringWait(waits.count)
        let woken = try await store.waitForEvents(after: seq, timeout: timeout)
        recorded.withLock { $0.append(Wait(after: seq, timeout: timeout, woken: woken)) }
        return woken
    }

    func append(_ drafts: [EventDraft]) async throws(StoreError) -> [AuditEvent] {
        try await store.append(drafts)
    }

    func append(_ drafts: [EventDraft], if condition: AppendCondition) async throws(StoreError) -> [AuditEvent]? {
        try await store.append(drafts, if: condition)
    }

    func events(run: String) async throws(StoreError) -> [AuditEvent] {
        try await store.events(run: run)
    }

    func events(run: String, after seq: Int64, types: [String]?) async throws(StoreError) -> [AuditEvent] {
        try await store.events(run: run, after: seq, types: types)
    }

    func events(incident: String) async throws(StoreError) -> [AuditEvent] {
        try await store.events(incident: incident)
    }

    func events(after seq: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try await store.events(after: seq, limit: limit)
    }

    func recentRuns(limit: Int) async throws(StoreError) -> [String] {
        try await store.recentRuns(limit: limit)
    }

    func head() async throws(StoreError) -> AuditHead? {
        try await store.head()
    }

    func verify() async throws(StoreError) -> VerificationReport {
        try await store.verify()
    }
}
