import RunbookLanguage
import Synchronization

/// The identity a store authenticated, recorded when the store opens and read by every copy of the ``Workspace``
/// that opened it.
final class SignedIn: Sendable {
    private let recorded = Mutex<Identity?>(nil)

    /// The identity, once recorded.
    var identity: Identity? { recorded.withLock { $0 } }

    /// Records `identity`.
    func record(_ identity: Identity) { recorded.withLock { $0 = identity } }
}
