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
        /// The lease a takeover claimed the run with; nil to take it when the job starts.
        var lease: RunLease?
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
    /// Runs this server resumes or takes over, queued or running: never claimed a second time.
    private var taken: Set<String> = []
    /// Runs whose lease lapsed but that cannot be continued without a person (a secret input that was not recorded).
    private var unclaimable: Set<String> = []
    /// The leases of the runs executing here, by run.
    private var leases: [String: RunLease] = [:]
    /// The runs let go unfinished (`run.released` recorded), so that none is released twice.
    private var released: Set<String> = []
    /// Set by SIGTERM: nothing is claimed or started from then on.
    private var draining = false
    private let drainSignal = DrainSignal()
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

    /// Hands queued jobs out while fewer than `max_concurrent_runs` run (none once draining).
    private func schedule() {
        while !draining, active < context.settings.maxConcurrentRuns, !queue.isEmpty {
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
            let lease = try job.lease ?? RunLease(directory: stateDirectory, run: job.options.runID)
            await hold(lease, of: job.options.runID)
            let executor = Executor(
                store: store, actions: ActionRegistry.builtin,
                observer: ServerRunObserver(metrics: metrics, logger: logger), prompter: nil,
                cancellation: cancellation, lockDirectory: stateDirectory, drain: drainSignal)
            logger.info(job.resume == nil ? "run started" : "run resumed")
            let status: RunStatus
            if let state = job.resume {
                status = try await executor.resume(state, options: job.options)
            } else {
                status = try await executor.start(job.options)
            }
            if status == .interrupted {
                // Drained: every running step ended, none was launched after the signal.
                try await release(job.options.runID, incident: job.options.incident, lease: lease, running: [])
                logger.info("run released unfinished")
            } else {
                logger.info("run ended", metadata: ["status": .string(status.rawValue)])
            }
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

    private func hold(_ lease: RunLease, of run: String) { leases[run] = lease }

    private func firstRelease(of run: String) -> Bool { released.insert(run).inserted }

    /// Beats the lease of every run this server holds: executing, or claimed and waiting in the queue.
    func beatLeases() {
        let now = Date()
        for lease in leases.values { lease.beat(at: now) }
        for job in queue { job.lease?.beat(at: now) }
    }

    /// Records `run.released` for a run this server lets go unfinished and leaves its lease file for the next worker.
    private nonisolated func release(
        _ run: String, incident: String?, lease: RunLease, running: [String]
    ) async throws(StoreError) {
        lease.leaveForTakeover()
        guard await firstRelease(of: run) else { return }
        _ = try await store.append([EventDraft(
            run: run, incident: incident, actor: .system,
            RunReleased(reason: Self.drainReason, running: running))])
    }

    /// Why a draining server lets its runs go.
    static let drainReason = "runbook serve is shutting down (SIGTERM)"

    /// Stops claiming and starting runs, and tells the runs executing here to launch no more steps; the steps
    /// running go on to their end.
    func drain() {
        draining = true
        drainSignal.raise()
        metrics.runs(active: active, queued: queue.count)
    }

    /// At the end of the grace: records `run.released`, with the steps still running, for each run still executing
    /// here, and leaves their leases for the next worker (the process exits next).
    /// - Returns: the runs released.
    func releaseRemaining() async -> [String] {
        var released: [String] = []
        for (run, lease) in leases.sorted(by: { $0.key < $1.key }) {
            guard let state = try? await RunState(events: store.events(run: run)), state.recordedStatus == nil
            else { continue }
            do throws(StoreError) {
                try await release(run, incident: state.incident, lease: lease,
                                  running: state.unfinishedSteps.map(\.id))
                released.append(run)
            } catch {
                logger.error("run \(run) not released: \(error.message)")
            }
        }
        return released
    }

    private func ended(_ run: String, status: RunStatus) {
        leases[run] = nil
        taken.remove(run)
        // A released run stays its alert's open run: a firing during the drain joins it rather than queue another.
        if status != .interrupted { open = open.filter { $0.value != run } }
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
        let leased = Set(RunLease.runs(directory: stateDirectory))
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
            } else if found.started, !leased.contains(run),
                let state = RunState(events: try await store.events(run: run)), let job = resumeJob(state)
            {
                // Runs with a lease file left behind are taken over by `claimLapsed`, which records it.
                queue.append(job)
                taken.insert(run)
                for key in found.keys { open[key] = run }
                metrics.run("resumed")
                resumed += 1
            }
        }
        schedule()
        return (started, resumed)
    }

    /// The job that continues the run `state` folds under resume's rules, with the runbook it started with; nil
    /// when its inputs cannot be bound again (a secret one, which is never recorded).
    private func resumeJob(_ state: RunState, lease: RunLease? = nil) -> Job? {
        // The version the run started with; the library's only for runs recorded before sources were kept.
        guard let runbook = state.recordedRunbook().map({ try? $0.get() }) ?? context.runbook(named: state.runbook),
            let inputs = try? InputBinder(runbook: runbook).bind(
                state.inputs.filter { $0.value != .null && $0.value != "***" }.mapValues(\.stringValue))
        else { return nil }
        let options = runOptions(
            runbook, inputs: inputs, runID: state.id, incident: state.incident ?? RunIdentifier.newIncident(),
            severity: Severity(parsing: state.severity) ?? runbook.severity, sender: state.actor?.id ?? "serve",
            alert: state.alert)
        return Job(options: options, resume: state, lease: lease)
    }

    /// Claims the runs of this store whose runner's lease lapsed — no live process holds its lock on this host, or,
    /// for a runner on another host, its heartbeat is older than ``RunLease/period`` — records `run.taken_over` and
    /// continues them under resume's rules. Exactly one claimer wins a run: the one whose `flock` on the lease file
    /// succeeds, which then reads the log again before it records anything. Claims nothing once draining.
    /// - Returns: the runs claimed.
    func claimLapsed(now: Date = Date()) async -> [String] {
        var claimed: [String] = []
        for run in RunLease.runs(directory: stateDirectory) where !taken.contains(run) && !unclaimable.contains(run) {
            guard !draining else { break }
            guard let reason = RunLease.lapse(directory: stateDirectory, run: run, now: now),
                let lease = try? RunLease(directory: stateDirectory, run: run)
            else { continue }
            // Won the lock; a run that ended meanwhile, or has no log, drops the lease (and its file) here.
            guard let state = try? await RunState(events: store.events(run: run)), state.recordedStatus == nil,
                !draining
            else { continue }
            guard let job = resumeJob(state, lease: lease) else {
                lease.leaveForTakeover()
                unclaimable.insert(run)
                logger.warning("run \(run) lost its runner but cannot be taken over: 'runbook resume \(run)' it")
                continue
            }
            let me = RunLeaseHolder.current(at: now)
            let from = lease.previous
            do throws(StoreError) {
                _ = try await store.append([EventDraft(
                    run: run, incident: state.incident, actor: .system,
                    RunTakenOver(
                        fromHost: from?.host ?? state.host, fromPID: from?.pid ?? state.pid.map(Int64.init),
                        fromHeartbeat: from.map { Timestamp.format($0.heartbeat) }, host: me.host, pid: me.pid,
                        reason: reason))])
            } catch {
                lease.leaveForTakeover()
                logger.error("run \(run) not taken over: \(error.message)")
                continue
            }
            taken.insert(run)
            queue.append(job)
            claimed.append(run)
            if state.isServed {
                // The alert's deduplication key, as `plan` makes it: the run is the one its firing joins again.
                let source = state.alert.member("source").stringValue
                open["\(state.runbook) \(source) \(state.alert.member("fingerprint").stringValue)"] = run
            }
            metrics.run("taken_over")
            logger.info("run taken over", metadata: ["run": .string(run), "reason": .string(reason)])
        }
        schedule()
        return claimed
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
