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

    /// Forgets `member` (its slot is reused when its turn comes).
    mutating func remove(_ member: String) {
        members.remove(member)
    }

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
