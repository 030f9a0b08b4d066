import Synchronization

/// Set when the task that started a transfer is cancelled; libcurl's progress callback and libpq's wait loop read it
/// on the transfer's thread and abort.
final class TransferCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A flag that is not set.
    init() {}

    /// Asks the transfer to stop.
    func cancel() {
        flag.store(true, ordering: .relaxed)
    }

    /// Whether the transfer was asked to stop.
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
