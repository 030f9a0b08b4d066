/// The dependency graph of a runbook's steps: execution order, what lies upstream of each step, and cycles.
public struct StepGraph: Sendable {
    /// Step ids in an order that respects `needs`, ties broken by file order.
    public let order: [String]
    /// The first cycle found, as ids with the first repeated at the end (`a -> b -> a`), or nil.
    public let cycle: [String]?
    /// Each step's position in the file, by id.
    private let position: [String: Int]
    /// For each step (by position), the positions of the steps it needs.
    private let needs: [[Int]]
    private let ids: [String]

    /// Builds the graph; `needs` that name unknown steps are ignored here (the checker reports them).
    public init(steps: [Step]) {
        let position = Dictionary(steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let needs = steps.map { step in step.needs.compactMap { position[$0] } }
        var remaining = needs.map(\.count)
        var dependents = [[Int]](repeating: [], count: steps.count)
        for (index, required) in needs.enumerated() {
            for dependency in required { dependents[dependency].append(index) }
        }
        var ready = (0..<steps.count).filter { remaining[$0] == 0 }
        var order: [Int] = []
        while !ready.isEmpty {
            ready.sort(by: >)
            let next = ready.removeLast()
            order.append(next)
            for dependent in dependents[next] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { ready.append(dependent) }
            }
        }
        self.order = order.map { steps[$0].id }
        self.position = position
        self.needs = needs
        self.ids = steps.map(\.id)
        if order.count < steps.count {
            let stuck = Set(0..<steps.count).subtracting(order)
            self.cycle = Self.findCycle(among: stuck, needs: needs).map { $0.map { steps[$0].id } }
        } else {
            self.cycle = nil
        }
    }

    /// Whether `ancestor` runs before `step` because `step` needs it, directly or through other steps.
    ///
    /// A search per question rather than a stored closure: a long chain of steps would make the closure quadratic.
    public func isUpstream(_ ancestor: String, of step: String) -> Bool {
        guard let target = position[ancestor], let start = position[step] else { return false }
        var visited = Set<Int>()
        var pending = needs[start]
        while let next = pending.popLast() {
            if next == target { return true }
            if visited.insert(next).inserted { pending += needs[next] }
        }
        return false
    }

    /// Every step `step` waits for, directly or transitively.
    public func upstream(of step: String) -> Set<String> {
        guard let start = position[step] else { return [] }
        var visited = Set<Int>()
        var pending = needs[start]
        while let next = pending.popLast() {
            if visited.insert(next).inserted { pending += needs[next] }
        }
        return Set(visited.map { ids[$0] })
    }

    /// Follows needs from the earliest stuck step until a step repeats; that stretch is a cycle.
    private static func findCycle(among stuck: Set<Int>, needs: [[Int]]) -> [Int]? {
        guard var current = stuck.min() else { return nil }
        var path: [Int] = []
        var seenAt: [Int: Int] = [:]
        while seenAt[current] == nil {
            seenAt[current] = path.count
            path.append(current)
            guard let next = needs[current].filter(stuck.contains).min() else { return nil }
            current = next
        }
        guard let start = seenAt[current] else { return nil }
        var cycle = Array(path[start...])
        if let smallest = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) {
            cycle = Array(cycle[smallest...] + cycle[..<smallest])
        }
        return cycle + [cycle[0]]
    }
}
