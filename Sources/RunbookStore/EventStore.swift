/// An append-only, hash-chained event log: the single source of truth for runs, gates and timelines.
///
/// Implementations never update or delete an event, and `append` returns only once the events are durable.
public protocol EventStore: Sendable {
    /// Appends `drafts` in order, as one durable unit, and returns them as stored.
    func append(_ drafts: [EventDraft]) async throws(StoreError) -> [AuditEvent]
    /// Appends `drafts` as ``append(_:)`` does, but only if `condition` still holds when their transaction runs.
    /// - Returns: The stored events, or nil when an event the condition names was recorded first (nothing stored).
    func append(_ drafts: [EventDraft], if condition: AppendCondition) async throws(StoreError) -> [AuditEvent]?
    /// Every event of `run`, in order.
    func events(run: String) async throws(StoreError) -> [AuditEvent]
    /// The events of `run` with a sequence number above `seq` (only those of `types`, when given), in order.
    func events(run: String, after seq: Int64, types: [String]?) async throws(StoreError) -> [AuditEvent]
    /// Every event of every run of `incident`, in order.
    func events(incident: String) async throws(StoreError) -> [AuditEvent]
    /// Up to `limit` events with a sequence number above `seq`, in order.
    func events(after seq: Int64, limit: Int) async throws(StoreError) -> [AuditEvent]
    /// The ids of the most recently started runs, newest first.
    func recentRuns(limit: Int) async throws(StoreError) -> [String]
    /// The latest record, or nil for an empty log.
    func head() async throws(StoreError) -> AuditHead?
    /// Waits until the log holds an event with a sequence number above `seq` (appended by anyone, in this process or
    /// another), or `timeout` passes: what a run parked at a gate, `log --follow` and `serve` wait on instead of
    /// sleeping.
    /// - Returns: Whether such an event exists.
    func waitForEvents(after seq: Int64, timeout: Duration) async throws(StoreError) -> Bool
    /// Recomputes the whole chain and names the first record that does not match.
    func verify() async throws(StoreError) -> VerificationReport
    /// The role the store's server authenticated this process as, which a person at this process is known by; nil
    /// for a store with no authentication of its own (SQLite: the OS account is the identity there).
    var authenticatedRole: String? { get }
}

extension EventStore {
    /// None: the store does not authenticate.
    public var authenticatedRole: String? { nil }
}

/// A store that cannot be opened, read or written.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is, for code that must act on it (a server answers 503 for a busy store and 500 for
    /// a damaged one). A struct rather than an enum, so kinds can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The kind's name.
        public var description: String

        /// Another writer held the store longer than the busy timeout: retrying later may work.
        public static let busy = Code(description: "busy")
        /// The file is damaged, or a record in it cannot be read: retrying will not help.
        public static let corrupt = Code(description: "corrupt")
        /// The store cannot be opened or written: a missing folder, a permission, a full disk, an unknown backend.
        public static let unavailable = Code(description: "unavailable")
        /// Any other failure.
        public static let failed = Code(description: "failed")
    }

    /// What failed, as a sentence naming the store.
    public var message: String
    /// The kind of failure.
    public var code: Code

    /// Creates an error.
    public init(_ message: String, code: Code = .failed) {
        self.message = message
        self.code = code
    }

    /// The message.
    public var description: String { message }
}
