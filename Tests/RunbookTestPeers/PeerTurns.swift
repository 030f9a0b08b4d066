/// Lets at most a fixed number of peers run at once; the others wait, in order, without blocking a thread.
public actor PeerTurns {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Turns for `concurrent` peers at once.
    public init(concurrent: Int) {
        available = concurrent
    }

    /// Waits for a turn.
    public func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Ends a turn, handing it to the longest waiter.
    public func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
