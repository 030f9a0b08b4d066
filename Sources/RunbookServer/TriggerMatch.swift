import RunbookLanguage

/// A trigger an alert satisfies, with the run it asks for or why the alert cannot start it.
public struct TriggerMatch: Sendable {
    /// The runbook the trigger belongs to.
    public var runbook: Runbook
    /// The trigger.
    public var trigger: Trigger
    /// The trigger's position in the runbook's `triggers` list, from 1 (as diagnostics name it: "trigger 2").
    public var number: Int
    /// The run to start, or why the alert's values cannot start it.
    public var outcome: Result<TriggeredRun, TriggerRejection>
}

/// What an alert-started run starts with: the trigger's inputs, bound and checked like command-line inputs, and
/// its severity.
public struct TriggeredRun: Sendable, Hashable {
    /// Every input of the runbook, typed and checked, defaults filled in.
    public var inputs: [String: Value]
    /// The trigger's severity, else the runbook's.
    public var severity: Severity
    /// Why the trigger's `severity:` was not used, when it was set but gave no valid severity.
    public var severityNote: String?
}

/// Why an alert that satisfies a trigger cannot start its runbook (an input fails its type or pattern check).
public struct TriggerRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The runbook's name.
    public var runbook: String
    /// Where the trigger is declared.
    public var location: SourceLocation
    /// What is wrong, e.g. `input 'service': 'x y' does not match the pattern '^[a-z-]+$'`.
    public var reason: String

    /// `runbooks/api-down.yaml:52:5: runbook 'api-down' cannot start from this alert: input 'service': …`.
    public var description: String {
        "\(location): runbook '\(runbook)' cannot start from this alert: \(reason)"
    }
}
