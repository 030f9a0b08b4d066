import Foundation
import RunbookLanguage
import RunbookPostgres

/// `pg.kill`: cancels or terminates the client backends active (or, to terminate, idle in transaction) for longer
/// than `min_duration`, within guard rails.
///
/// `exclude_users` and `exclude_applications` are never touched; when more than `max_kills` backends match, nothing
/// is killed and the step fails. Outputs `count` (backends signalled), `killed`, `refused` (each with its `reason`:
/// the server's refusal, or that it ended first) and `excluded` (left alone by the guard rails, with why). The step
/// fails when the server refused any backend.
public struct PostgresKillAction: Action {
    /// How long `terminate` waits for the signalled backends to leave `pg_stat_activity`.
    static let exitWait: Duration = .seconds(5)

    /// Creates the action.
    public init() {}

    /// The catalog's `pg.kill` spec.
    public var spec: ActionSpec { .builtin("pg.kill") }

    /// The target it changes, locked while it acts.
    public func lock(_ context: ActionContext) -> String? { TargetName.postgres(context) }

    /// The backends it would end, one line each under a header such as `would terminate 3 backends (max_kills 10)`.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] {
        let request = try PostgresKillRequest(context, action: spec.name)
        return try await PostgresTarget(context, action: spec.name).run { session throws(ActionFailure) in
            try PostgresKillPlan(session, request).previewLines
        }
    }

    /// Ends the backends.
    /// - Throws: `ActionFailure` when more than `max_kills` match (nothing killed), the role cannot see other roles'
    ///   sessions, or the server refused to end some of them.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let request = try PostgresKillRequest(context, action: spec.name)
        let action = spec.name
        let outcome = try await PostgresTarget(context, action: action).run { session throws(ActionFailure) in
            let plan = try PostgresKillPlan(session, request)
            guard plan.withinLimit else {
                throw ActionFailure(
                    "\(action): \(plan.refusal); nothing was killed",
                    outputs: [
                        "count": 0, "killed": [], "refused": [], "excluded": Self.entries(plan.excluded),
                        "matched": .array(plan.targets.map(\.value)),
                    ])
            }
            return try Self.kill(plan, session)
        }
        for backend in outcome.killed {
            context.emit(OutputLine(stream: .stdout, text: "\(request.mode.rawValue): \(backend.summary)"))
        }
        let outputs: [String: Value] = [
            "count": .number(Double(outcome.killed.count)),
            "killed": .array(outcome.killed.map { backend in
                guard request.mode == .terminate else { return backend.value }
                return backend.value(adding: ["ended": .bool(!outcome.stillRunning.contains(backend.pid))])
            }),
            "refused": Self.entries(outcome.refused.map { ($0.backend, $0.reason) }),
            "excluded": Self.entries(outcome.excluded),
        ]
        let serverRefusals = outcome.refused.filter(\.byServer)
        guard serverRefusals.isEmpty else {
            let verb = request.mode == .cancel ? "cancelled" : "terminated"
            let reasons = serverRefusals.map { "pid \($0.backend.pid) (\($0.backend.user)): \($0.reason)" }
            throw ActionFailure(
                "\(action): \(verb) \(outcome.killed.count) of \(outcome.killed.count + outcome.refused.count) "
                    + "backends; the server refused \(serverRefusals.count): " + reasons.joined(separator: "; "),
                outputs: outputs)
        }
        return outputs
    }

    /// What happened to each backend of a plan.
    struct Outcome: Sendable {
        /// Signalled.
        var killed: [PostgresBackend] = []
        /// Not signalled: the server refused (`byServer`), or the backend ended first.
        var refused: [(backend: PostgresBackend, reason: String, byServer: Bool)] = []
        /// Left alone by the guard rails.
        var excluded: [(backend: PostgresBackend, reason: String)] = []
        /// Terminated backends still in `pg_stat_activity` after `exitWait`.
        var stillRunning: Set<Int> = []
    }

    /// Signals each target, then (for `terminate`) waits up to `exitWait` for them to go.
    private static func kill(_ plan: PostgresKillPlan, _ session: PostgresSession) throws(ActionFailure) -> Outcome {
        var outcome = Outcome(excluded: plan.excluded)
        for backend in plan.targets {
            switch try session.attempt(plan.request.mode.sql, [String(backend.pid), backend.backendStart]) {
            case .success(let rows) where rows.first?["signalled"] == "t":
                outcome.killed.append(backend)
            case .success(let rows) where rows.isEmpty:
                outcome.refused.append((backend, "it ended before it was signalled", false))
            case .success:
                outcome.refused.append((backend, "the server could not signal it (it may just have ended)", false))
            case .failure(let error):
                outcome.refused.append((backend, error.reason, true))
            }
        }
        guard plan.request.mode == .terminate, !outcome.killed.isEmpty else { return outcome }
        let pids = outcome.killed.map { String($0.pid) }.joined(separator: ",")
        let deadline = ContinuousClock.now + exitWait
        repeat {
            let rows = try session.rows(
                "SELECT pid FROM pg_stat_activity WHERE pid = ANY(string_to_array($1, ',')::int[])", [pids])
            outcome.stillRunning = Set(rows.compactMap { $0.int("pid") })
            if outcome.stillRunning.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while ContinuousClock.now < deadline
        return outcome
    }

    /// Backends with their reasons, as output entries.
    private static func entries(_ backends: [(backend: PostgresBackend, reason: String)]) -> Value {
        .array(backends.map { $0.backend.value(adding: ["reason": .string($0.reason)]) })
    }
}
