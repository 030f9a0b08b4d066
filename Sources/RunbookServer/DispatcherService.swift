import Logging
import RunbookEngine
import ServiceLifecycle

/// The dispatcher's side of `runbook serve`'s service group: every second it beats the leases the server holds and
/// claims the runs whose lease lapsed, and at the shutdown signal it drains the dispatcher at once — before the
/// listener closes, so no run is started or claimed after the signal.
struct DispatcherService: Service {
    let dispatcher: RunDispatcher
    let logger: Logger

    /// How often the leases are beaten and the lease files looked at (more often than ``RunLease/heartbeatInterval``).
    static let claimInterval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await dispatcher.beatLeases()
                let claimed = await dispatcher.claimLapsed()
                if !claimed.isEmpty {
                    logger.info("took over runs whose lease lapsed", metadata: ["runs": .array(claimed.map { "\($0)" })])
                }
                try? await Task.sleep(for: Self.claimInterval)
            }
        }
        await dispatcher.drain()
        logger.info("draining: no run is claimed or started from now on")
    }
}
