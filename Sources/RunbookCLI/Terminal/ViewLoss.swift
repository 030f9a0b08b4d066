import Synchronization

/// The moment a run's view went away — its terminal hung up, or the pipe its output goes to closed — reported once,
/// by the console's first failed write or by SIGHUP. The run does not stop for it: the driver records `run.detached`
/// and the steps go on.
final class ViewLoss: Sendable {
    private let state = Mutex<(reported: Bool, continuation: AsyncStream<String>.Continuation?)>((false, nil))
    /// The reason, once, when the view is lost; finished after it.
    let reasons: AsyncStream<String>

    init() {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        reasons = stream
        state.withLock { $0.continuation = continuation }
    }

    /// Whether the view is gone: writing to it again is pointless.
    var isLost: Bool { state.withLock { $0.reported } }

    /// Reports the loss; only the first report counts.
    func report(_ reason: String) {
        let continuation = state.withLock { state -> AsyncStream<String>.Continuation? in
            guard !state.reported else { return nil }
            state.reported = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.yield(reason)
        continuation?.finish()
    }

    /// Ends ``reasons`` without a loss, when nothing more will be written: a reason already given is still read.
    func close() {
        let continuation = state.withLock { state -> AsyncStream<String>.Continuation? in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.finish()
    }
}
