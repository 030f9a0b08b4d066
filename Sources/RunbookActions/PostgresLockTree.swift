/// Who waits for whom.
struct PostgresLockTree: Sendable {
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
