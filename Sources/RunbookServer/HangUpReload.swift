import Dispatch
import Foundation

/// Calls `action` on every SIGHUP while it lives.
///
/// `@unchecked Sendable`: the source is created and resumed in `init` and only cancelled in `deinit`; Dispatch
/// sources are thread-safe objects, they just do not declare it.
final class HangUpReload: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private let signals: AsyncStream<Void>.Continuation

    /// Starts calling `action` on SIGHUP, one reload at a time, in the order the signals came.
    init(_ action: @escaping @Sendable () async -> Void) {
        let (stream, signals) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.signals = signals
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { signals.yield() }
        source.resume()
        // One task reads the signals, so an older reload can never finish after a newer one; it ends with the stream.
        Task {
            for await _ in stream { await action() }
        }
    }

    deinit {
        source.cancel()
        signals.finish()
    }
}
