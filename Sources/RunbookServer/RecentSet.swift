/// The last `capacity` distinct strings inserted, oldest forgotten first.
struct RecentSet: Sendable {
    private let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var oldest = 0

    /// An empty set holding at most `capacity` strings.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Whether `member` is among the last ones inserted.
    func contains(_ member: String) -> Bool { members.contains(member) }

    /// Inserts `member`; false when it was already there.
    mutating func insert(_ member: String) -> Bool {
        guard members.insert(member).inserted else { return false }
        if order.count < capacity {
            order.append(member)
        } else {
            members.remove(order[oldest])
            order[oldest] = member
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
