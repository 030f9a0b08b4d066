import Foundation
import Logging
import RunbookActions
import RunbookAlerts
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// Turns alerts into runs and keeps them going: matches each alert against the runbooks' triggers, appends an alert
/// that fires again (or resolves) to its open run instead of starting another, starts at most `max_concurrent_runs`
/// runs at once and queues the rest in order, and after a restart starts what was queued and resumes what was
/// parked.
actor RunDispatcher {
    /// A run to start, or to resume from its log.
    struct Job: Sendable {
        var options: RunOptions
        var resume: RunState?
    }

    private let store: any EventStore
    private let stateDirectory: String
    private let metrics: ServerMetrics
    private let logger: Logger
    private let listen: ListenAddress
    private var context: ServeContext
    /// Open runs by deduplication key (the runbook and the alert's source and fingerprint).
    private var open: [String: String] = [:]
    /// The newest run of each key, open or ended, which a resolved alert is appended to.
    private var latest: [String: String] = [:]
    /// Each known run's incident.
    private var incidents: [String: String] = [:]
    /// The incidents this server has opened, so that no id is handed out twice.
    private var openedIncidents: Set<String> = []
    /// Recent `X-Webhook-Id`s (PagerDuty retries a delivery with the same id).
    private var deliveries = RecentSet(capacity: 10_000)
    /// Deliveries whose alerts are being recorded now.
    private var recording: Set<String> = []
    private var queue: [Job] = []
    private var active = 0
    private let jobs: AsyncStream<Job>
    private let jobSink: AsyncStream<Job>.Continuation

    init(
        store: any EventStore, stateDirectory: String, context: ServeContext, listen: ListenAddress,
        metrics: ServerMetrics, logger: Logger
    ) {
        self.store = store
        self.listen = listen
        self.stateDirectory = stateDirectory
        self.context = context
        self.metrics = metrics
        self.logger = logger
        (jobs, jobSink) = AsyncStream.makeStream(of: Job.self)
    }

    /// Uses `context` for the alerts that come from now on; runs already going keep theirs.
    func update(_ context: ServeContext) {
        self.context = context
        schedule()
    }

    /// What a webhook's delivery id says about it.
    enum Delivery: Sendable {
        /// Not seen before: it is now being recorded.
        case new
        /// Its alerts are recorded already.
        case recorded
        /// The same delivery is being recorded right now (a sender's quick retry).
        case recording
    }

    /// The key a delivery is remembered by: its id is only unique for its sender.
    static func deliveryKey(sender: String, id: String) -> String { sender + " " + id }

    /// Checks a delivery's key; a new one counts as being recorded until `commit` or `rollback`.
    func check(delivery id: String) -> Delivery {
        if deliveries.contains(id) { return .recorded }
        guard recording.insert(id).inserted else { return .recording }
        return .new
    }

    /// Decides what `alerts` from `sender` come to. The caller appends `drafts`, then calls `commit` (or `rollback`
    /// when the append failed, so nothing counts as open that was never recorded).
    func plan(_ alerts: [Alert], sender: String, delivery: String?) -> IntakePlan {
        var plan = IntakePlan()
        let matcher = TriggerMatcher(runbooks: context.runbooks)
        let redactor = Redactor(secrets: context.config.secrets)
        for alert in alerts {
            metrics.alertReceived(source: alert.source.rawValue, status: alert.status.rawValue)
            var record = alert.record(.unmatched)
            record.delivery = delivery
            var runs: [Value] = []
            var rejected: [Value] = []
            for match in matcher.matches(for: alert) {
                let key = "\(match.runbook.name) \(alert.source.rawValue) \(alert.fingerprint)"
                var recorded = record
                recorded.disposition = .received
                recorded.runbook = match.runbook.name
                if alert.status == .resolved {
                    guard let run = latest[key] else { continue }
                    plan.drafts.append(received(run, recorded, sender, redactor))
                    runs.append(["runbook": .string(match.runbook.name), "run": .string(run), "new": false])
                    continue
                }
                if let run = open[key] {
                    recorded.repeated = true
                    plan.drafts.append(received(run, recorded, sender, redactor))
                    runs.append(["runbook": .string(match.runbook.name), "run": .string(run), "new": false])
                    continue
                }
                switch match.outcome {
                case .failure(let rejection):
                    rejected.append(.string(rejection.description))
                    recorded.disposition = .rejected
                    recorded.reason = rejection.description
                    plan.drafts.append(redactor.redact(EventDraft(run: "", actor: Actor(kind: "alert", id: sender), recorded)))
                case .success(let triggered):
                    let options = runOptions(match.runbook, triggered, alert: alert, sender: sender)
                    recorded.severity = triggered.severity.description
                    recorded.inputs = options.redactor.redact(.object(Self.recordable(triggered.inputs, match.runbook)))
                    recorded.severityNote = triggered.severityNote
                    plan.previous[key] = latest[key]
                    open[key] = options.runID
                    latest[key] = options.runID
                    incidents[options.runID] = options.incident
                    openedIncidents.insert(options.incident)
                    plan.opened.append(key)
                    plan.starts.append(options)
                    plan.drafts.append(received(options.runID, recorded, sender, redactor))
                    runs.append(["runbook": .string(match.runbook.name), "run": .string(options.runID), "new": true])
                }
            }
            if runs.isEmpty, rejected.isEmpty {
                plan.drafts.append(redactor.redact(EventDraft(run: "", actor: Actor(kind: "alert", id: sender), record)))
            }
            plan.summary.append([
                "fingerprint": .string(alert.fingerprint), "status": .string(alert.status.rawValue),
                "runs": .array(runs), "rejected": .array(rejected),
            ])
        }
        return plan
    }

    /// The plan's events are durable: start (or queue) its runs, and remember its delivery.
    func commit(_ plan: IntakePlan, delivery: String?) {
        if let delivery {
            recording.remove(delivery)
            _ = deliveries.insert(delivery)
        }
        for options in plan.starts {
            metrics.run("started")
            queue.append(Job(options: options))
        }
        schedule()
    }

    /// The plan's events could not be recorded: forget the runs it opened, and its delivery id so that the
    /// sender's retry is taken.
    func rollback(_ plan: IntakePlan, delivery: String?) {
        for key in plan.opened {
            if let run = open.removeValue(forKey: key) {
                latest[key] = plan.previous[key] ?? nil
                incidents[run] = nil
            }
        }
        if let delivery { recording.remove(delivery) }
    }

    /// Runs the jobs handed out by `schedule`, each in a child task, until the stream ends.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask { await self.execute(job) }
            }
        }
    }

    /// Hands queued jobs out while fewer than `max_concurrent_runs` run.
    private func schedule() {
        while active < context.settings.maxConcurrentRuns, !queue.isEmpty {
            active += 1
            jobSink.yield(queue.removeFirst())
        }
        metrics.runs(active: active, queued: queue.count)
    }

    private func execute(_ job: Job) async {
        let run = job.options.runID
        var runLogger = logger
        runLogger[metadataKey: "run"] = .string(run)
        runLogger[metadataKey: "runbook"] = .string(job.options.runbook.name)
        let logger = runLogger
        let cancellation = CancellationSignal()
        let store = store
        let status = await withTaskGroup(of: RunStatus?.self) { group -> RunStatus in
            group.addTask {
                await Self.watchForCancel(of: run, in: store, raising: cancellation)
                return nil
            }
            group.addTask { await self.perform(job, cancellation: cancellation, logger: logger) }
            var status = RunStatus.interrupted
            for await result in group {
                guard let result else { continue }
                status = result
                break
            }
            group.cancelAll()
            return status
        }
        ended(run, status: status)
    }

    /// Runs the job's executor in a lease (so `runbook status` and `approve` see the run alive) and returns how the
    /// run ended.
    private nonisolated func perform(_ job: Job, cancellation: CancellationSignal, logger: Logger) async -> RunStatus {
        do {
            let lease = try RunLease(directory: stateDirectory, run: job.options.runID)
            defer { withExtendedLifetime(lease) {} }
            let executor = Executor(
                store: store, actions: ActionRegistry.builtin,
                observer: ServerRunObserver(metrics: metrics, logger: logger), prompter: nil,
                cancellation: cancellation, lockDirectory: stateDirectory)
            logger.info(job.resume == nil ? "run started" : "run resumed")
            let status: RunStatus
            if let state = job.resume {
                status = try await executor.resume(state, options: job.options)
            } else {
                status = try await executor.start(job.options)
            }
            logger.info("run ended", metadata: ["status": .string(status.rawValue)])
            return status
        } catch {
            logger.error("run stopped: \(error)")
            return .interrupted
        }
    }

    /// Raises `cancellation` when `runbook cancel` or the API records `run.cancel_requested` for `run` (a server's
    /// runs cannot be cancelled by signalling its process, which runs them all).
    ///
    /// Each look reads only the events recorded since the one before (up to the log's head when it began), so a run
    /// that gathers many events (an alert storm joining it) costs no more to watch than a quiet one.
    private static func watchForCancel(
        of run: String, in store: any EventStore, raising cancellation: CancellationSignal
    ) async {
        var seen: Int64 = 0
        while !Task.isCancelled {
            if let head = try? await store.head()?.seq ?? 0,
                let requests = try? await store.events(run: run, after: seen, types: [EventType.runCancelRequested])
            {
                if !requests.isEmpty {
                    cancellation.raise()
                    return
                }
                seen = max(seen, head)
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    private func ended(_ run: String, status: RunStatus) {
        open = open.filter { $0.value != run }
        metrics.run(status.rawValue)
        metrics.forget(run: run)
        active -= 1
        schedule()
    }

    private func received(_ run: String, _ record: AlertRecord, _ sender: String, _ redactor: Redactor) -> EventDraft {
        redactor.redact(EventDraft(run: run, incident: incidents[run], actor: Actor(kind: "alert", id: sender), record))
    }

    private func runOptions(_ runbook: Runbook, _ triggered: TriggeredRun, alert: Alert, sender: String) -> RunOptions {
        let now = Date()
        var runID = RunIdentifier.newRun(at: now)
        var incident = RunIdentifier.newIncident(at: now)
        // An alert storm starts many runs a second: ids carry a random part, and this server never repeats one.
        while incidents[runID] != nil || openedIncidents.contains(incident) {
            runID = RunIdentifier.newRun(at: now)
            incident = RunIdentifier.newIncident(at: now)
        }
        return runOptions(
            runbook, inputs: triggered.inputs, runID: runID, incident: incident, severity: triggered.severity,
            sender: sender, alert: alert.contextValue)
    }

    /// The options of an alert-started run (which the engine keeps from changing anything without a person).
    private func runOptions(
        _ runbook: Runbook, inputs: [String: Value], runID: String, incident: String, severity: Severity,
        sender: String, alert: Value
    ) -> RunOptions {
        var redactor = Redactor(secrets: context.config.secrets)
        for secret in InputBinder(runbook: runbook).secrets(in: inputs) { redactor.add(secret) }
        return RunOptions(
            runbook: runbook, inputs: inputs, runID: runID, incident: incident, severity: severity, starter: sender,
            environment: context.environment, autoApprove: false, policy: context.config.policy(for: severity),
            redactor: redactor, workingDirectory: context.workingDirectory,
            incidentStart: alert.member("starts_at").stringValue, alert: alert, apiURL: apiURL)
    }

    /// After a restart: reads the log, takes up the alert-started runs that have not ended — starting those that were
    /// queued, resuming those no process runs any more — and remembers which alerts they belong to.
    /// - Returns: how many runs were started and resumed.
    func recover() async throws(StoreError) -> (started: Int, resumed: Int) {
        var runs: [String: RecoveredRun] = [:]
        var after: Int64 = 0
        while true {
            let page = try await store.events(after: after, limit: 10_000)
            guard let last = page.last else { break }
            after = last.seq
            for event in page where !event.run.isEmpty {
                runs[event.run, default: RecoveredRun()].take(event)
                if case .alert(let alert) = event.body, alert.disposition == .received, let id = alert.delivery {
                    _ = deliveries.insert(Self.deliveryKey(sender: event.actor?.id ?? "", id: id))
                }
            }
        }
        var started = 0
        var resumed = 0
        for (run, found) in runs.sorted(by: { $0.value.firstSeq < $1.value.firstSeq }) where !found.keys.isEmpty {
            for key in found.keys { latest[key] = run }
            if let incident = found.incident { incidents[run] = incident }
            guard !found.finished else { continue }
            // Only a run this server takes up again is open: an alert firing again must not join a run nobody runs.
            if !found.started, let request = found.request, let runbook = context.runbook(named: request.runbook),
                let inputs = try? InputBinder(runbook: runbook).bind(request.inputs)
            {
                queue.append(Job(options: runOptions(
                    runbook, inputs: inputs, runID: run, incident: found.incident ?? RunIdentifier.newIncident(),
                    severity: request.severity ?? runbook.severity, sender: request.sender, alert: request.alert)))
                for key in found.keys { open[key] = run }
                metrics.run("started")
                started += 1
            } else if found.started, !RunLease.isHeld(directory: stateDirectory, run: run),
                let state = RunState(events: try await store.events(run: run)),
                // The version the run started with; the library's only for runs recorded before sources were kept.
                let runbook = state.recordedRunbook().map({ try? $0.get() }) ?? context.runbook(named: state.runbook),
                let inputs = try? InputBinder(runbook: runbook).bind(
                    state.inputs.filter { $0.value != .null && $0.value != "***" }.mapValues(\.stringValue))
            {
                let alert = state.alert
                queue.append(Job(
                    options: runOptions(
                        runbook, inputs: inputs, runID: run, incident: state.incident ?? RunIdentifier.newIncident(),
                        severity: Severity(parsing: state.severity) ?? runbook.severity,
                        sender: state.actor?.id ?? "serve", alert: alert),
                    resume: state))
                for key in found.keys { open[key] = run }
                metrics.run("resumed")
                resumed += 1
            }
        }
        schedule()
        return (started, resumed)
    }

    /// The API's base URL for gate links: `serve.url`, else the address the server listens on (the machine's name
    /// when it listens on every address).
    private var apiURL: String {
        if let url = context.settings.url {
            return url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        var address = listen
        if address.host == "0.0.0.0" || address.host == "::" { address.host = ProcessInfo.processInfo.hostName }
        return "http://\(address)"
    }

    /// `inputs` as the log may hold them: secret ones replaced by `***`.
    private static func recordable(_ inputs: [String: Value], _ runbook: Runbook) -> [String: Value] {
        var shown = inputs
        for input in runbook.inputs where input.secret && shown[input.name] != nil { shown[input.name] = "***" }
        return shown
    }
}
