import RunbookLanguage

/// `pg.blocking`: the lock-wait tree, from `pg_blocking_pids`.
///
/// Outputs `blocked` (each waiting backend, with `blocked_by` and `wait`), `roots` (the backends that block others
/// and wait for nobody, with `blocking`: how many wait on them directly or through others, and `blocked_pids`: the
/// ones that wait on them directly), `count` (backends waiting) and `hidden` (sessions of other roles the role cannot
/// see the query of).
public struct PostgresBlockingAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `pg.blocking` spec.
    public var spec: ActionSpec { .builtin("pg.blocking") }

    /// Reads the tree.
    /// - Throws: `ActionFailure` when the server cannot be reached or refuses the query.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let (rows, visibility) = try await PostgresTarget(context, action: spec.name).run {
            session throws(ActionFailure) in
            (try session.rows(Self.sql), try session.visibility())
        }
        let tree = LockTree(rows.map { (PostgresBackend($0), $0["wait"] ?? "") })
        if visibility.hidden > 0 {
            context.emit(OutputLine(
                stream: .stderr,
                text: "warning: role \(visibility.role) cannot see the queries of \(visibility.hidden) sessions of "
                    + "other roles; \(visibility.grant) shows them"))
        }
        for line in tree.lines { context.emit(OutputLine(stream: .stdout, text: line)) }
        return [
            "blocked": .array(tree.blocked.map { $0.value(adding: ["wait": .string(tree.waits[$0.pid] ?? "")]) }),
            "roots": .array(tree.roots.map { root in
                root.value(adding: [
                    "blocking": .number(Double(tree.waitingCount(on: root.pid))),
                    "blocked_pids": .array((tree.waiters[root.pid] ?? []).map { .number(Double($0)) }),
                ])
            }),
            "count": .number(Double(tree.blocked.count)),
            "hidden": .number(Double(visibility.hidden)),
        ]
    }

    /// Every backend that waits for a lock, and every backend it waits for.
    static let sql = """
        WITH waiting AS (
            SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity
            WHERE cardinality(pg_blocking_pids(pid)) > 0
        )
        SELECT \(PostgresBackend.columns), coalesce(wait_event_type || ':' || wait_event, '') AS wait
        FROM pg_stat_activity
        WHERE pid IN (SELECT pid FROM waiting) OR pid IN (SELECT unnest(blockers) FROM waiting)
        ORDER BY pid
        """
}

/// Who waits for whom.
struct LockTree: Sendable {
    /// Every backend in the tree, by pid.
    let backends: [Int: PostgresBackend]
    /// Each backend's wait event (`Lock:transactionid`), by pid.
    let waits: [Int: String]
    /// The pids waiting on each backend directly, by the blocker's pid.
    let waiters: [Int: [Int]]

    /// Builds the tree from the backends and their wait events.
    init(_ entries: [(PostgresBackend, String)]) {
        backends = Dictionary(entries.map { ($0.0.pid, $0.0) }) { first, _ in first }
        waits = Dictionary(entries.map { ($0.0.pid, $0.1) }) { first, _ in first }
        var waiters: [Int: [Int]] = [:]
        for (backend, _) in entries {
            for blocker in backend.blockedBy { waiters[blocker, default: []].append(backend.pid) }
        }
        self.waiters = waiters
    }

    /// The backends waiting for a lock, by pid.
    var blocked: [PostgresBackend] {
        backends.values.filter { !$0.blockedBy.isEmpty }.sorted { $0.pid < $1.pid }
    }

    /// The backends that block others and wait for nobody, the one blocking most first.
    var roots: [PostgresBackend] {
        backends.values.filter { $0.blockedBy.isEmpty && waiters[$0.pid] != nil }
            .sorted { (waitingCount(on: $0.pid), $1.pid) > (waitingCount(on: $1.pid), $0.pid) }
    }

    /// How many backends wait on `pid`, directly or through others.
    func waitingCount(on pid: Int) -> Int {
        var seen: Set<Int> = []
        var queue = waiters[pid] ?? []
        while let next = queue.popLast() {
            guard next != pid, seen.insert(next).inserted else { continue }
            queue += waiters[next] ?? []
        }
        return seen.count
    }

    /// The tree as text: each root, then the backends waiting on it, indented.
    var lines: [String] {
        var lines: [String] = []
        var shown: Set<Int> = []
        func add(_ pid: Int, depth: Int) {
            guard let backend = backends[pid], shown.insert(pid).inserted else { return }
            let wait = waits[pid].map { $0.isEmpty ? "" : " waits on \($0)" } ?? ""
            lines.append(String(repeating: "  ", count: depth) + (depth > 0 ? "└ " : "") + backend.summary + wait)
            for waiter in waiters[pid] ?? [] { add(waiter, depth: depth + 1) }
        }
        for root in roots { add(root.pid, depth: 0) }
        for backend in blocked where !shown.contains(backend.pid) { add(backend.pid, depth: 0) }
        return lines
    }
}
