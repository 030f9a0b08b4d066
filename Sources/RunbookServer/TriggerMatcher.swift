import RunbookAlerts
import RunbookEngine
import RunbookLanguage

/// Finds the runbooks an alert starts: every trigger it satisfies, with the trigger's inputs computed from the alert
/// and checked by the runbook's own input rules.
///
/// Alert labels are chosen by whoever can fire an alert. They reach a run only through the trigger's `inputs`,
/// which pass the same type, `enum` and `pattern` checks as `-i` values (`InputBinder`); a value that fails
/// rejects the match.
public struct TriggerMatcher: Sendable {
    /// The runbooks whose triggers are tried, in order.
    public let runbooks: [Runbook]

    /// Creates a matcher over `runbooks`.
    public init(runbooks: [Runbook]) {
        self.runbooks = runbooks
    }

    /// Every trigger `alert` satisfies, runbook by runbook and in each runbook's order, whether its inputs are
    /// accepted or rejected.
    public func matches(for alert: Alert) -> [TriggerMatch] {
        let context = EvaluationContext(contexts: ["alert": alert.contextValue])
        var matches: [TriggerMatch] = []
        for runbook in runbooks {
            for (index, trigger) in runbook.triggers.enumerated() where trigger.matches(alert) {
                matches.append(TriggerMatch(
                    runbook: runbook, trigger: trigger, number: index + 1,
                    outcome: Self.run(runbook, trigger, in: context)))
            }
        }
        return matches
    }

    /// The trigger's inputs and severity evaluated in `context`.
    private static func run(
        _ runbook: Runbook, _ trigger: Trigger, in context: EvaluationContext
    ) -> Result<TriggeredRun, TriggerRejection> {
        var given: [String: String] = [:]
        for (name, template) in trigger.inputs.sorted(by: { $0.key < $1.key }) {
            let value: Value
            do {
                value = try template.template.render(in: context)
            } catch {
                return .failure(rejection(runbook, trigger, "input '\(name)': \(error.message)"))
            }
            // A label the alert lacks leaves the input to its default, as if it were not given.
            if value != .null { given[name] = value.stringValue }
        }
        let inputs: [String: Value]
        do {
            inputs = try InputBinder(runbook: runbook).bind(given)
        } catch {
            return .failure(rejection(runbook, trigger, error.message))
        }
        let (severity, note) = severity(runbook, trigger, in: context)
        return .success(TriggeredRun(inputs: inputs, severity: severity, severityNote: note))
    }

    /// The trigger's severity, else the runbook's with the reason. An alert can raise a run's severity but never
    /// lower it below the runbook's: its labels are chosen by whoever can fire it.
    private static func severity(
        _ runbook: Runbook, _ trigger: Trigger, in context: EvaluationContext
    ) -> (Severity, String?) {
        guard let template = trigger.severity else { return (runbook.severity, nil) }
        let fallback = "; the run has the runbook's \(runbook.severity)"
        let text: String
        do {
            text = try template.template.render(in: context).stringValue
        } catch {
            return (runbook.severity, "the trigger's severity could not be computed: \(error.message)" + fallback)
        }
        guard let severity = Severity(parsing: text) else {
            return (runbook.severity, "the trigger's severity '\(text)' is not SEV1..SEV4 or P0..P3" + fallback)
        }
        guard severity <= runbook.severity else {
            return (runbook.severity, "the trigger's severity \(severity) is lower than the runbook's; an alert cannot "
                + "lower it" + fallback)
        }
        return (severity, nil)
    }

    private static func rejection(_ runbook: Runbook, _ trigger: Trigger, _ reason: String) -> TriggerRejection {
        TriggerRejection(runbook: runbook.name, location: trigger.location, reason: reason)
    }
}
