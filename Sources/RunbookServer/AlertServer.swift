import Dispatch
import Foundation
import Hummingbird
import Logging
import RunbookEngine
import RunbookLanguage
import RunbookStore
import ServiceLifecycle
import UnixSignals

/// `runbook serve`: receives alert webhooks, starts the runbooks their triggers name, parks every gate until a person
/// answers through the API or `runbook approve`, and serves the runs API, `/healthz` and `/metrics`.
public struct AlertServer: Sendable {
    private let store: any EventStore
    private let stateDirectory: String
    private let listen: ListenAddress
    private let load: @Sendable () throws -> ServeContext
    private let logger: Logger

    /// How long SIGTERM waits for steps that are executing to end before the process exits.
    public static let shutdownGrace: Duration = .seconds(10)

    /// A server over `store` (leases in `stateDirectory`), listening on `listen`, whose context `load` reads at start
    /// and again on SIGHUP.
    public init(
        store: any EventStore, stateDirectory: String, listen: ListenAddress, logger: Logger,
        load: @escaping @Sendable () throws -> ServeContext
    ) {
        self.store = store
        self.stateDirectory = stateDirectory
        self.listen = listen
        self.logger = logger
        self.load = load
    }

    /// Serves until SIGTERM or SIGINT, then drains: from the signal on nothing is claimed or started and no run
    /// launches another step; returns once executing steps have ended (or the grace has passed), with `run.released`
    /// recorded for every run still unfinished here (parked at a gate, or a step past the grace), whose lease the
    /// next `runbook serve` takes over.
    /// - Throws: when the context cannot be read or the address cannot be bound.
    public func run() async throws {
        let state = ServerState(try load())
        let metrics = ServerMetrics()
        let dispatcher = RunDispatcher(
            store: store, stateDirectory: stateDirectory, context: state.context, listen: listen, metrics: metrics,
            logger: logger)
        let logger = self.logger
        let load = self.load
        // Installed before anything else takes time, so that an early SIGHUP reloads instead of ending the process.
        let reload = HangUpReload {
            do {
                let context = try load()
                state.replace(with: context)
                await dispatcher.update(context)
                logger.info("configuration reloaded", metadata: ["runbooks": .stringConvertible(context.runbooks.count)])
            } catch {
                logger.error("configuration not reloaded; the previous one stays in force: \(error)")
            }
        }
        let recovered = try await dispatcher.recover()
        if recovered.started + recovered.resumed > 0 {
            logger.info(
                "took up runs from before the restart",
                metadata: ["started": .stringConvertible(recovered.started),
                           "resumed": .stringConvertible(recovered.resumed)])
        }
        let router = Self.router(
            state: state, dispatcher: dispatcher, store: store, stateDirectory: stateDirectory, metrics: metrics,
            logger: logger)
        let listen = self.listen
        let settings = state.context.settings
        let limits = ConnectionLimits(
            header: .seconds(settings.headerTimeout), body: .seconds(settings.bodyTimeout),
            idle: .seconds(settings.idleTimeout), maximum: settings.maxConnections)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(limits: limits)])),
            configuration: ApplicationConfiguration(
                address: .hostname(listen.host, port: listen.port), serverName: "runbook"),
            onServerRunning: { _ in logger.info("listening", metadata: ["address": .string(listen.description)]) },
            logger: logger)
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Shut down in reverse order: the dispatcher drains first, the moment the signal comes.
                services: [.init(service: app), .init(service: DispatcherService(dispatcher: dispatcher, logger: logger))],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // Unstructured on purpose: runs outlive the listener. At shutdown the process ends without cancelling them
        // (cancelling would record them as cancelled); like a crash, the log keeps what they did and the next
        // `runbook serve` resumes them.
        let runner = Task { await dispatcher.run() }
        try await services.run()
        logger.info("shutting down: no more webhooks; waiting for executing steps")
        // The leases stay beaten while the steps finish, so no other worker takes these runs meanwhile.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await metrics.settle(within: Self.shutdownGrace) }
            group.addTask {
                while !Task.isCancelled {
                    await dispatcher.beatLeases()
                    try? await Task.sleep(for: RunLease.heartbeatInterval)
                }
            }
            await group.next()
            group.cancelAll()
        }
        let released = await dispatcher.releaseRemaining()
        if !released.isEmpty {
            logger.info("released unfinished runs for the next worker",
                        metadata: ["runs": .array(released.map { "\($0)" })])
        }
        withExtendedLifetime((reload, runner)) {}
    }

    /// The server's routes: the webhooks, the runs API, `/healthz` and `/metrics`. Tests drive them in process.
    static func router(
        state: ServerState, dispatcher: RunDispatcher, store: any EventStore, stateDirectory: String,
        metrics: ServerMetrics, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RateLimitMiddleware(state: state, limiter: RateLimiter()))
        let webhooks = WebhookEndpoint(
            state: state, dispatcher: dispatcher, store: store, metrics: metrics, logger: logger)
        let runs = RunsEndpoint(state: state, store: store, stateDirectory: stateDirectory, logger: logger)
        router.post("hooks/:source") { request, context in await webhooks.handle(request, context) }
        router.get("runs") { request, context in await runs.list(request, context) }
        router.get("runs/:id") { request, context in await runs.show(request, context) }
        router.post("runs/:id/gates/:step/approve") { request, context in
            await runs.answer(request, context, approve: true)
        }
        router.post("runs/:id/gates/:step/deny") { request, context in
            await runs.answer(request, context, approve: false)
        }
        router.post("runs/:id/cancel") { request, context in await runs.cancel(request, context) }
        router.get("healthz") { _, _ in JSONResponse.make(.ok, ["status": "ok"]) }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        return router
    }
}
