import Dispatch
import Synchronization

/// Checks the hashes of ``LineChunk``s on Dispatch's global queue, a few chunks at once, while their submitter
/// keeps reading; remembers the earliest mismatch.
///
/// ``submit(_:)`` and ``waitForAll()`` block the calling thread, so call them from a dispatch queue (the
/// database's), never from Swift's cooperative thread pool.
final class HashCheckQueue: Sendable {
    /// Chunks hashing or waiting to, at most `slots` at once, so memory stays bounded.
    private let slots: DispatchSemaphore
    /// Every submitted chunk until it is checked.
    private let group = DispatchGroup()
    /// The earliest mismatch found so far.
    private let earliest = Mutex<ChainVerifier.Finding?>(nil)

    /// Creates a queue with room for `inFlight` chunks.
    init(inFlight: Int) {
        slots = DispatchSemaphore(value: max(1, inFlight))
    }

    /// The earliest mismatch found so far, among the chunks checked.
    var firstMismatch: ChainVerifier.Finding? { earliest.withLock { $0 } }

    /// Schedules `chunk` to be checked, first waiting for a free slot.
    func submit(_ chunk: LineChunk) {
        slots.wait()
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            defer {
                self.slots.signal()
                self.group.leave()
            }
            guard let mismatch = chunk.firstHashMismatch() else { return }
            self.earliest.withLock { earliest in
                if earliest.map({ mismatch.precedes($0) }) ?? true { earliest = mismatch }
            }
        }
    }

    /// Waits until every submitted chunk is checked.
    func waitForAll() {
        group.wait()
    }
}
