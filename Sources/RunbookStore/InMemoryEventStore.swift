import Synchronization

/// An event store that lives in the process: the same canonical lines and hash chain as the SQLite store, for tests
/// of the engine and the server that need no files, and as the reference a new backend is compared with (the
/// conformance suite runs against both).
///
/// Nothing is durable: the log ends with the process.
public final class InMemoryEventStore: EventStore {
    /// The log, and who waits for it to grow.
    private struct State: Sendable {
        var events: [AuditEvent] = []
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>
    private let clock: AuditClock

    /// Creates an empty store.
    public init() {
        state = Mutex(State())
        clock = .shared
    }

    /// Creates a store holding `events` exactly as given, unchecked: a log read back from an export, for
    /// ``verify()`` to find what is wrong with it.
    public init(recorded events: [AuditEvent]) {
        state = Mutex(State(events: events))
        clock = .shared
    }

    /// Creates an empty store whose events are stamped by `wallClock` (microseconds since 1970), for fixtures that
    /// need the same timestamps, and so the same hashes, on every run.
    @_spi(Fixtures)
    public init(wallClock: @escaping @Sendable () -> Int64) {
        state = Mutex(State())
        clock = AuditClock(wallClock: wallClock)
    }

    /// Appends `drafts` in order and returns them as stored.
    public func append(_ drafts: [EventDraft]) async throws(StoreError) -> [AuditEvent] {
        append(drafts.map(EncodedDraft.init), if: nil) ?? []
    }

    /// Appends `drafts` only if `condition` holds.
    /// - Returns: The stored events, or nil when the condition was broken and nothing was stored.
    public func append(_ drafts: [EventDraft], if condition: AppendCondition) async throws(StoreError)
        -> [AuditEvent]?
    {
        append(drafts.map(EncodedDraft.init), if: condition)
    }

    /// Appends under the lock and wakes the waiters; nil when `condition` is broken.
    private func append(_ drafts: [EncodedDraft], if condition: AppendCondition?) -> [AuditEvent]? {
        let (stored, woken) = state.withLock { state -> ([AuditEvent]?, [CheckedContinuation<Void, Never>]) in
            if let condition, state.events.contains(where: {
                $0.run == condition.run && $0.seq > condition.seq && condition.types.contains($0.type)
            }) {
                return (nil, [])
            }
            var stored: [AuditEvent] = []
            for encoded in drafts {
                let head = state.events.last
                let seq = (head?.seq ?? 0) + 1
                let prev = head?.hash ?? AuditLine.genesisHash
                let now = clock.next(notBefore: head?.timestamp)
                let line = AuditLine(seq: seq, timestamp: now, encoded: encoded, prev: prev)
                let draft = encoded.draft
                let event = AuditEvent(
                    seq: seq, timestamp: now, run: draft.run, incident: draft.incident, type: draft.type,
                    step: draft.step, actor: draft.actor, data: encoded.storedData, prev: prev, hash: line.hash,
                    line: line.text)
                state.events.append(event)
                stored.append(event)
            }
            let woken = Array(state.waiters.values)
            state.waiters.removeAll()
            return (stored, drafts.isEmpty ? [] : woken)
        }
        for waiter in woken { waiter.resume() }
        return stored
    }

    /// Every event of `run`, in order.
    public func events(run: String) async throws(StoreError) -> [AuditEvent] {
        state.withLock { $0.events.filter { $0.run == run } }
    }

    /// The events of `run` with a sequence number above `seq` (only those of `types`, when given), in order.
    public func events(run: String, after seq: Int64, types: [String]?) async throws(StoreError) -> [AuditEvent] {
        state.withLock { state in
            state.events.filter { $0.run == run && $0.seq > seq && (types?.contains($0.type) ?? true) }
        }
    }

    /// Every event of every run of `incident`, and events naming the incident directly, in order.
    public func events(incident: String) async throws(StoreError) -> [AuditEvent] {
        state.withLock { state in
            let runs = Set(state.events.filter { $0.incident == incident }.map(\.run))
            return state.events.filter { $0.incident == incident || runs.contains($0.run) }
        }
    }

    /// Up to `limit` events with a sequence number above `seq`, in order.
    public func events(after seq: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        state.withLock { Array($0.events.lazy.filter { $0.seq > seq }.prefix(max(0, limit))) }
    }

    /// The ids of the most recently started runs, newest first.
    public func recentRuns(limit: Int) async throws(StoreError) -> [String] {
        state.withLock { state in
            var runs: [String] = []
            for event in state.events.reversed() where event.type == EventType.runStarted && !runs.contains(event.run) {
                guard runs.count < limit else { break }
                runs.append(event.run)
            }
            return runs
        }
    }

    /// The latest record, or nil for an empty log.
    public func head() async throws(StoreError) -> AuditHead? {
        state.withLock { $0.events.last.map { AuditHead(seq: $0.seq, hash: $0.hash) } }
    }

    /// Waits until the log holds an event with a sequence number above `seq`, or `timeout` passes.
    public func waitForEvents(after seq: Int64, timeout: Duration) async throws(StoreError) -> Bool {
        let id = state.withLock { state -> Int? in
            guard (state.events.last?.seq ?? 0) <= seq else { return nil }
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        guard let id else { return true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let waiting = self.state.withLock { state -> Bool in
                        guard (state.events.last?.seq ?? 0) <= seq else { return false }
                        state.waiters[id] = continuation
                        return true
                    }
                    if !waiting { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
        return state.withLock { ($0.events.last?.seq ?? 0) > seq }
    }

    /// Recomputes the chain from the stored lines, as the SQLite store does.
    public func verify() async throws(StoreError) -> VerificationReport {
        let events = state.withLock { $0.events }
        var verifier = ChainVerifier()
        var head: AuditHead?
        for event in events {
            let finding = Self.check(event, with: &verifier)
            if let finding {
                return VerificationReport(
                    checked: finding.position, firstBad: finding.seq, problem: finding.problem, head: head)
            }
            head = AuditHead(seq: event.seq, hash: event.hash)
        }
        return VerificationReport(checked: verifier.inspected, head: head)
    }

    /// What is wrong with `event`'s record, if anything: its fields laid out in one buffer, lent to the verifier
    /// as the SQLite store lends its columns.
    private static func check(_ event: AuditEvent, with verifier: inout ChainVerifier) -> ChainVerifier.Finding? {
        var bytes: [UInt8] = []
        func add(_ text: String?) -> Range<Int>? {
            guard let text else { return nil }
            let start = bytes.count
            bytes += text.utf8
            return start..<bytes.count
        }
        let fields = [event.line, event.run, event.incident, event.type, event.step, event.hash, event.prev,
                      event.timestamp].map(add)
        return bytes.withUnsafeBufferPointer { all in
            func part(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
                fields[index].map { UnsafeBufferPointer(rebasing: all[$0]) }
            }
            let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            let line = part(0) ?? empty
            let record = ChainVerifier.Record(
                seq: event.seq, line: line, run: part(1) ?? empty, incident: part(2), type: part(3) ?? empty,
                step: part(4), hash: part(5) ?? empty, prev: part(6) ?? empty, timestamp: part(7) ?? empty)
            if let finding = verifier.inspect(record) { return finding }
            guard ChainVerifier.hashMatches(line: line) else {
                return ChainVerifier.Finding(
                    seq: event.seq, position: verifier.inspected, kind: .hash, problem: "hash mismatch")
            }
            return nil
        }
    }
}
