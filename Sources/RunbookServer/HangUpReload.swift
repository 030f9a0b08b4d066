import Dispatch
import Foundation

/// Calls `action` on every SIGHUP while it lives.
///
/// `@unchecked Sendable`: the source is created and resumed in `init` and only cancelled in `deinit`; Dispatch
/// sources are thread-safe objects, they just do not declare it.
final class HangUpReload: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(_ action: @escaping @Sendable () async -> Void) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { Task { await action() } }
        source.resume()
    }

    deinit { source.cancel() }
}
