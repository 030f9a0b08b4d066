import Foundation
import RunbookPostgres
import Synchronization

/// The PostgreSQL store's `LISTEN` connection: a thread of its own waits on the socket for the notification every
/// append transaction sends at its commit, and wakes the ``PostgresEventStore/waitForEvents(after:timeout:)`` calls
/// of this process. Started at the first wait; when the connection breaks it reconnects every second, and the waits
/// fall back to their slow poll meanwhile.
final class PostgresEventListener: Sendable {
    /// One waiting call.
    private enum Waiter {
        /// Registered, not yet suspended.
        case pending
        /// Suspended until woken.
        case waiting(CheckedContinuation<Void, Never>)
        /// Woken (or timed out) before it suspended: it returns at once.
        case done
    }

    /// Whether the listening thread runs.
    private enum Phase {
        case idle, starting, started, stopped
    }

    /// What the thread and the waiting calls share.
    private struct State {
        /// Counts wake-ups: a notification, a reconnection (notifications may have been missed meanwhile).
        var generation = 0
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
        var phase = Phase.idle
        /// Callers of ``start()`` waiting for the first `LISTEN` to succeed or fail.
        var starting: [CheckedContinuation<Void, Never>] = []
    }

    /// How long the thread waits on the socket before checking whether it should stop.
    static let socketWaitMilliseconds: Int32 = 200
    /// How long it waits before reconnecting after a break.
    static let reconnectDelay: Duration = .seconds(1)

    private let state = Mutex(State())
    /// How to connect (it may hold a password: never shown).
    private let conninfo: String

    /// A listener for the store `conninfo` connects to; nothing runs until ``start()``.
    init(conninfo: String) {
        self.conninfo = conninfo
    }

    /// The wake-up count: read it before checking the log, then wait beyond it, so a notification that arrives in
    /// between is not missed.
    var generation: Int { state.withLock { $0.generation } }

    /// Starts the thread if it is not running, and returns once it listens (or its first attempt failed).
    func start() async {
        let mustStart = state.withLock { state -> Bool? in
            switch state.phase {
            case .started, .stopped: return nil
            case .starting: return false
            case .idle:
                state.phase = .starting
                return true
            }
        }
        guard let mustStart else { return }
        await withCheckedContinuation { continuation in
            let waiting = state.withLock { state -> Bool in
                guard state.phase == .starting else { return false }
                state.starting.append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
            if mustStart {
                let thread = Thread { [self] in listen() }
                thread.name = "runbook-store-listen"
                thread.start()
            }
        }
    }

    /// Waits until the generation moves past `generation`, or `timeout` passes, or the task is cancelled.
    func wait(beyond generation: Int, upTo timeout: Duration) async {
        let id = state.withLock { state -> Int? in
            guard state.generation == generation else { return nil }
            defer { state.nextWaiter += 1 }
            state.waiters[state.nextWaiter] = .pending
            return state.nextWaiter
        }
        guard let id else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let suspended = self.state.withLock { state -> Bool in
                        guard case .pending = state.waiters[id] else {
                            state.waiters[id] = nil
                            return false
                        }
                        state.waiters[id] = .waiting(continuation)
                        return true
                    }
                    if !suspended { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            finish(id)
        }
    }

    /// Stops the thread (within ``socketWaitMilliseconds``) and wakes every waiting call.
    func stop() {
        let woken = state.withLock { state in
            state.phase = .stopped
            return Self.wakeAll(&state)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Ends one wait: resumes it if suspended, else makes its suspension return at once.
    private func finish(_ id: Int) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            switch state.waiters[id] {
            case .waiting(let continuation):
                state.waiters[id] = nil
                return continuation
            case .pending:
                state.waiters[id] = .done
                return nil
            case .done, nil:
                return nil
            }
        }
        continuation?.resume()
    }

    /// Moves the generation on and takes every suspended waiter, marking the others done.
    private static func wakeAll(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        state.generation += 1
        var woken = state.starting
        state.starting.removeAll()
        for (id, waiter) in state.waiters {
            switch waiter {
            case .waiting(let continuation):
                woken.append(continuation)
                state.waiters[id] = nil
            case .pending:
                state.waiters[id] = .done
            case .done:
                break
            }
        }
        return woken
    }

    /// Wakes every waiter, and ends ``start()`` for its callers.
    private func wake(started: Bool = false) {
        let woken = state.withLock { state in
            if started, state.phase == .starting { state.phase = .started }
            return Self.wakeAll(&state)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Whether ``stop()`` was called.
    private var isStopped: Bool { state.withLock { $0.phase == .stopped } }

    /// The thread's loop: connect and `LISTEN`, then wait for notifications until stopped.
    private func listen() {
        var connection: PostgresConnection?
        while !isStopped {
            guard let listening = connection else {
                connection = Self.connectAndListen(conninfo)
                // Whether it worked or not, the waits re-read the head: events may have come while not listening.
                wake(started: true)
                if connection == nil { pause(Self.reconnectDelay) }
                continue
            }
            do throws(PostgresError) {
                if try !listening.notifications(waitingUpTo: Self.socketWaitMilliseconds).isEmpty { wake() }
            } catch {
                connection = nil
                wake()
            }
        }
    }

    /// A connection listening on the store's channel, or nil when connecting failed.
    private static func connectAndListen(_ conninfo: String) -> PostgresConnection? {
        guard case .success(let connection) = PostgresConnection.connect(conninfo) else { return nil }
        do throws(PostgresError) {
            try connection.execute("LISTEN \(PostgresSchema.channel)")
            return connection
        } catch {
            return nil
        }
    }

    /// Sleeps the thread for `delay`, in short steps so ``stop()`` is not held up.
    private func pause(_ delay: Duration) {
        let deadline = ContinuousClock.now + delay
        while !isStopped, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
    }
}
