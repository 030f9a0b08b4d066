import Dispatch
import RunbookLanguage
import Synchronization

/// Appends events through one connection with group commit: every append waiting when a commit finishes goes into
/// the next transaction together, so many concurrent writers share each `fsync`, and each call still returns only
/// once its events are durable.
///
/// Taking only what waits at that instant splits steady writers into two cohorts that alternate, because callers
/// resumed by a commit come back just after the next transaction began. So after a commit the writer expects as
/// many requests as it just answered plus those already waiting, and keeps its next transaction open for them —
/// inserting each as it arrives — until they have all come or a short window closes (the last commit's duration,
/// at most ``maximumGatherDelay``), much like PostgreSQL's `commit_delay`. When callers do not come back in time,
/// it stops waiting for a while, so a lone writer loses nothing.
///
/// The same writer serves every backend (``ChainDatabase``): SQLite's `BEGIN IMMEDIATE` or PostgreSQL's advisory
/// lock is what serialises the transactions of several processes.
final class GroupCommitWriter<Database: ChainDatabase>: Sendable {
    /// One caller's drafts and where to send what was stored.
    struct Request: Sendable {
        /// The drafts, in order, encoded.
        var drafts: [EncodedDraft]
        /// What must hold for them to be stored; when it does not, none is and the request gets no events.
        var condition: AppendCondition?
        /// Resumed with the stored events or the failure; nil for the caller of ``commitAlone(_:)``, which gets them
        /// returned.
        var continuation: CheckedContinuation<Result<[AuditEvent], StoreError>, Never>?
    }

    /// Appends waiting for a transaction, and what the writer is doing.
    private struct Pending: Sendable {
        /// Requests not yet taken by a transaction.
        var requests: [Request] = []
        /// Whether a drain is scheduled or running on the connection's queue.
        var draining = false
        /// While the writer waits for requests: how many waiting requests end the wait.
        var wakeAt: Int?
        /// Whether the last transaction had one request and none waited behind it: appends come one at a time, so
        /// the next may commit on its caller's thread.
        var solo = true
    }

    /// What the writer expects after a commit.
    private struct Expectation {
        /// Requests expected: those the last commit answered plus those waiting when it finished.
        var count = 0
        /// When to stop waiting for them.
        var deadline = ContinuousClock.now
        /// Transactions left that do not wait, after a wait that did not pay off.
        var skip = 0

        /// Whether to wait for requests now.
        var isWaiting: Bool { count > 0 && skip == 0 }
    }

    /// The longest a writer waits after a commit for resumed callers to append again.
    static var maximumGatherDelay: Duration { .microseconds(200) }
    /// Transactions that commit without waiting after a wait that did not pay off.
    static var transactionsWithoutWaitingAfterMiss: Int { 16 }

    /// The connection the writes go through.
    let connection: StoreConnection<Database>
    /// The clock stamping the events.
    let clock: AuditClock
    /// Requests not yet taken by a transaction.
    private let pending = Mutex(Pending())
    /// Signalled when a waiting writer's `wakeAt` is reached.
    private let arrivals = DispatchSemaphore(value: 0)

    /// Creates a writer on `connection`.
    init(connection: StoreConnection<Database>, clock: AuditClock = .shared) {
        self.connection = connection
        self.clock = clock
    }

    /// Appends `drafts` in order, contiguously, and returns them as stored once they are durable.
    ///
    /// The drafts are encoded on the caller's task; the writer only adds `seq`, `ts` and `prev`, and hashes. While
    /// appends come one at a time (none waiting or being written, and none did during the last commit) and the
    /// backend allows it, the transaction runs on the calling thread (see ``commitAlone(_:_:)``); otherwise the
    /// request joins the next group commit on the connection's queue.
    /// - Throws: ``StoreError`` when the transaction fails; nothing of `drafts` is stored then.
    /// - Parameter condition: What must hold inside the transaction for the drafts to be stored; when it does not,
    ///   nothing is stored and the result is empty.
    func append(_ drafts: [EventDraft], if condition: AppendCondition? = nil) async throws(StoreError)
        -> [AuditEvent]
    {
        guard !drafts.isEmpty else { return [] }
        let drafts = drafts.map(EncodedDraft.init)
        let alone = pending.withLock { pending in
            guard Database.commitsOnCallerThread, pending.solo, !pending.draining, pending.requests.isEmpty else {
                return false
            }
            pending.draining = true
            return true
        }
        if alone { return try commitAlone(drafts, condition).get() }
        let result = await withCheckedContinuation { continuation in
            let (startDrain, wake) = pending.withLock { pending in
                pending.requests.append(Request(drafts: drafts, condition: condition, continuation: continuation))
                if let wakeAt = pending.wakeAt, pending.requests.count >= wakeAt {
                    pending.wakeAt = nil
                    return (false, true)
                }
                guard !pending.draining else { return (false, false) }
                pending.draining = true
                return (true, false)
            }
            if wake { arrivals.signal() }
            if startDrain {
                connection.enqueue { database in self.drain(database) }
            }
        }
        return try result.get()
    }

    /// Appends `drafts` as ``append(_:if:)`` does, only if `condition` holds inside the transaction.
    /// - Returns: The stored events, or nil when the condition was broken and nothing was stored.
    func append(_ drafts: [EventDraft], onlyIf condition: AppendCondition) async throws(StoreError) -> [AuditEvent]? {
        let stored = try await append(drafts, if: condition)
        return stored.isEmpty && !drafts.isEmpty ? nil : stored
    }

    /// Commits the drafts of the one writer there is, on the calling thread: `DispatchQueue.sync` on the idle
    /// connection queue runs the transaction right here, sparing a sequential writer (`runbook exec`, one event per
    /// step) two thread hand-offs per commit. The caller's thread blocks for the commit's `fsync`, as it would for any
    /// short piece of work; only one commit runs at a time, so at most one cooperative thread is ever held. Appends
    /// that arrive meanwhile wait in `pending` and are handed to the queue's group commit afterwards, which stays in
    /// charge while appends overlap (see `Pending.solo`): there, gathering them into shared commits is what counts.
    private func commitAlone(_ drafts: [EncodedDraft], _ condition: AppendCondition?)
        -> Result<[AuditEvent], StoreError>
    {
        var expected = Expectation()
        let outcome: Result<[AuditEvent], StoreError>
        do throws(Database.Failure) {
            outcome = try connection.performNow { database in
                commit([Request(drafts: drafts, condition: condition, continuation: nil)], expecting: &expected, in: database).1[0]
            }
        } catch {
            outcome = .failure(failure(error))
        }
        let handOff = pending.withLock { pending in
            pending.solo = pending.requests.isEmpty
            guard !pending.requests.isEmpty else {
                pending.draining = false
                return false
            }
            return true
        }
        if handOff { connection.enqueue { database in self.drain(database) } }
        return outcome
    }

    /// Commits batches of requests until none is waiting or expected. Runs on the connection's queue.
    private func drain(_ database: Database?) {
        var expected = Expectation()
        while true {
            if expected.isWaiting, !waitForRequests(atLeast: 1, until: expected.deadline) {
                expected.skip = Self.transactionsWithoutWaitingAfterMiss
            }
            guard let batch = takePending() else { return }
            guard let database else {
                let error = failure(.closed)
                for request in batch { request.continuation?.resume(returning: .failure(error)) }
                continue
            }
            let start = ContinuousClock.now
            let (requests, outcomes) = commit(batch, expecting: &expected, in: database)
            let finished = ContinuousClock.now
            expected.count = pending.withLock { pending in
                pending.solo = requests.count == 1 && pending.requests.isEmpty
                return pending.requests.count
            } + requests.count
            expected.deadline = finished + min(Self.maximumGatherDelay, finished - start)
            for (request, outcome) in zip(requests, outcomes) {
                request.continuation?.resume(returning: outcome)
            }
        }
    }

    /// Commits `batch`, and the expected requests arriving while it is written, in one transaction; if that fails
    /// because of some request's values and there are several requests, commits each alone, so one bad request (an
    /// oversized event, say) does not fail the others.
    ///
    /// When the connection breaks (the server restarted, failed over, or ended the session), waits and tries again
    /// on a new connection, with backoff, for up to ``ReconnectBackoff/patience``; no caller resumes meanwhile. A
    /// transaction whose `COMMIT` outcome is unknown is first looked up: when the log holds its newest record at its
    /// `seq` with its hash (which chains every record before it), it did commit and is not appended again.
    /// - Returns: The requests committed and one outcome each.
    private func commit(_ batch: [Request], expecting expected: inout Expectation, in database: Database)
        -> ([Request], [Result<[AuditEvent], StoreError>])
    {
        var requests = batch
        var stored: [[AuditEvent]] = []
        var backoff = ReconnectBackoff(store: connection.name, work: "the append")
        var unresolved: AuditEvent?
        while true {
            do throws(Database.Failure) {
                if let newest = unresolved {
                    if try database.record(before: newest.seq + 1)?.hash == newest.hash {
                        return (requests, stored.map { .success($0) })
                    }
                    unresolved = nil
                }
                stored = []
                try appendTransaction(gathering: &requests, into: &stored, expecting: &expected, in: database)
                return (requests, stored.map { .success($0) })
            } catch {
                if error.isConnectionBroken, let pause = backoff.nextPause(after: error.description) {
                    if unresolved == nil { unresolved = stored.joined().last }
                    expected.count = 0
                    _ = DispatchSemaphore(value: 0).wait(timeout: .now() + .nanoseconds(Int(pause / .nanoseconds(1))))
                    continue
                }
                guard requests.count > 1, error.mayBeCausedByValues else {
                    return (requests, Array(repeating: .failure(failure(error)), count: requests.count))
                }
                var alone = Expectation()
                var outcomes: [Result<[AuditEvent], StoreError>] = []
                for request in requests {
                    outcomes += commit([request], expecting: &alone, in: database).1
                }
                return (requests, outcomes)
            }
        }
    }

    /// One append transaction of `requests`, and of the expected requests arriving while it is written (added to
    /// `requests`), their stored events in `stored`.
    private func appendTransaction(
        gathering requests: inout [Request], into stored: inout [[AuditEvent]], expecting expected: inout Expectation,
        in database: Database
    ) throws(Database.Failure) {
        try database.appendTransaction { () throws(Database.Failure) in
            // Run again from the start when the backend retries the transaction (see ``ChainDatabase``).
            stored.removeAll(keepingCapacity: true)
            var chain = try ChainWriter(database: database, clock: clock)
            for request in requests { stored.append(try chain.append(request.drafts, if: request.condition)) }
            guard expected.isWaiting else {
                expected.skip = max(0, expected.skip - 1)
                return
            }
            var inTime = true
            while requests.count < expected.count, inTime {
                inTime = waitForRequests(atLeast: expected.count - requests.count, until: expected.deadline)
                let arrived = takeAll()
                requests += arrived
                for request in arrived { stored.append(try chain.append(request.drafts, if: request.condition)) }
            }
            if requests.count < expected.count {
                expected.skip = Self.transactionsWithoutWaitingAfterMiss
            }
        }
    }

    /// The error callers see for `error`.
    private func failure(_ error: Database.Failure) -> StoreError {
        error.storeError(while: "append to", store: connection.name)
    }

    /// Every waiting request, or nil (and the drain marked finished) when there is none.
    private func takePending() -> [Request]? {
        pending.withLock { pending in
            guard !pending.requests.isEmpty else {
                pending.draining = false
                return nil
            }
            defer { pending.requests.removeAll(keepingCapacity: true) }
            return pending.requests
        }
    }

    /// Every waiting request.
    private func takeAll() -> [Request] {
        pending.withLock { pending in
            defer { pending.requests.removeAll(keepingCapacity: true) }
            return pending.requests
        }
    }

    /// Waits until at least `count` requests are waiting, or `deadline` passes.
    /// - Returns: Whether they are waiting.
    private func waitForRequests(atLeast count: Int, until deadline: ContinuousClock.Instant) -> Bool {
        let mustWait = pending.withLock { pending in
            guard pending.requests.count < count else { return false }
            pending.wakeAt = count
            return true
        }
        guard mustWait else { return true }
        let remaining = deadline - ContinuousClock.now
        if remaining > .zero {
            let nanoseconds =
                remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000
            if arrivals.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success { return true }
        }
        let signalled = pending.withLock { pending in
            guard pending.wakeAt != nil else { return true }
            pending.wakeAt = nil
            return false
        }
        // An append reached `count` just as the wait timed out: take its signal, so the next wait does wait.
        if signalled { arrivals.wait() }
        return signalled
    }
}
