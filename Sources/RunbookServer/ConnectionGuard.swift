import NIOCore
import NIOHTTPTypes

/// Holds one connection to ``ConnectionLimits``: closes it when it is one too many, when it has not sent its whole
/// header within the header timeout (from when it opened) or its whole body within the body timeout (from the end of
/// its header), or when it sends nothing for the idle timeout after a response. Time the server spends answering is
/// never counted against the client.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private var admitted = false
    private var started = false
    /// Requests read in full whose response has not ended.
    private var answering = 0
    private var deadline: Scheduled<Void>?

    /// A guard counted against `limits`.
    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { finish() }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context, after: limits.body)
        case .body: break
        case .end:
            answering += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            answering = max(0, answering - 1)
            if answering == 0 { arm(context, after: limits.idle) }
        }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard limits.admit() else {
            context.close(promise: nil)
            return
        }
        admitted = true
        arm(context, after: limits.header)
    }

    private func finish() {
        disarm()
        if admitted { limits.release() }
        admitted = false
    }

    private func arm(_ context: ChannelHandlerContext, after time: Duration) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(time)) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
