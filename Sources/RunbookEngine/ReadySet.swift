import Foundation
import RunbookLanguage

/// What the scheduler knows of a run's steps: which have ended and how, and which may start now. A step is ready once
/// every step it needs has ended; it then runs, or is skipped by its `if:` and the conclusions upstream of it.
struct ReadySet: Sendable {
    /// A step that may start, with the values its expressions see.
    struct Launch: Sendable {
        let step: Step
        let context: EvaluationContext
    }

    private let options: RunOptions
    private let graph: StepGraph
    private let incidentStart: Date
    /// How each step that has ended did, by id.
    private(set) var results: [String: StepResult]
    /// The steps launched or ended.
    private var taken: Set<String>

    /// The steps of `options`' runbook, with those of `prior` already ended.
    init(options: RunOptions, prior: [String: StepResult], incidentStart: Date) {
        self.options = options
        self.graph = StepGraph(steps: options.runbook.steps)
        self.incidentStart = incidentStart
        self.results = prior
        self.taken = Set(prior.keys)
    }

    /// A step that ended without running, and why.
    struct Skip: Sendable {
        let result: StepResult
        let reason: String
    }

    /// Takes every step that has become ready, in file order: those that run, to launch, and those skipped, which
    /// have ended (and may make more steps ready). Once the run is `cancelled`, only a step whose `if:` asks for a
    /// status function (`always()`, `cancelled()`) and holds runs; the rest are skipped.
    mutating func takeReady(cancelled: Bool = false) -> (launches: [Launch], skipped: [Skip]) {
        var launches: [Launch] = []
        var skipped: [Skip] = []
        var progressed = true
        while progressed {
            progressed = false
            for step in options.runbook.steps
            where !taken.contains(step.id) && step.needs.allSatisfy({ results[$0] != nil }) {
                taken.insert(step.id)
                let context = evaluationContext()
                if let skip = decide(step, context: context, cancelled: cancelled) {
                    results[step.id] = skip.result
                    skipped.append(skip)
                    progressed = true
                } else {
                    launches.append(Launch(step: step, context: context))
                }
            }
        }
        return (launches, skipped)
    }

    /// Records how a launched step ended.
    mutating func record(_ result: StepResult) {
        results[result.id] = result
    }

    /// How the run ended, from the conclusions of its steps.
    func status(cancelled: Bool) -> RunStatus {
        let conclusions = results.values.map(\.conclusion)
        return if cancelled {
            .cancelled
        } else if conclusions.contains(.failure) {
            .failed
        } else if conclusions.contains(.denied) || conclusions.contains(.cancelled) {
            .denied
        } else {
            .succeeded
        }
    }

    /// Whether a step whose needs have all ended runs (nil), or how it ends without running: skipped, or failed when
    /// its `if:` cannot be evaluated.
    /// - Parameter cancelled: Whether the run is being cancelled: only a clean-up step runs then.
    private func decide(_ step: Step, context: EvaluationContext, cancelled: Bool) -> Skip? {
        let upstream = graph.upstream(of: step.id).compactMap { results[$0]?.conclusion }
        let status = StepStatus(
            upstreamFailed: upstream.contains(.failure) || upstream.contains(.denied),
            cancelled: cancelled || upstream.contains(.cancelled))
        let skipped = Skip(result: StepResult(id: step.id, outcome: .skipped),
                           reason: cancelled ? "the run was cancelled" : "its condition is false")
        guard let condition = step.condition else { return status.isSuccess ? nil : skipped }
        if cancelled, !condition.expression.usesStatusFunction { return skipped }
        var evaluation = context
        evaluation.status = status
        do {
            let value = try condition.expression.evaluate(in: evaluation)
            let holds = condition.expression.usesStatusFunction ? value.isTruthy : status.isSuccess && value.isTruthy
            return holds ? nil : skipped
        } catch {
            return Skip(result: StepResult(
                id: step.id, outcome: .failure, continueOnError: step.continueOnError,
                error: "the 'if:' expression failed: \(error.message)"), reason: "")
        }
    }

    /// The values expressions see when a step starts.
    private func evaluationContext() -> EvaluationContext {
        EvaluationContext(contexts: [
            "inputs": .object(options.inputs),
            "steps": .object(results.mapValues(\.contextValue)),
            "incident": [
                "id": .string(options.incident), "severity": .string(options.severity.description),
                "started_at": .string(Timestamp.format(incidentStart)),
            ],
            "alert": options.alert,
            "env": .object(options.environment.variables),
            "run": ["id": .string(options.runID), "actor": .string(options.starter)],
        ])
    }
}
