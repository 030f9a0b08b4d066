/// One node of a runbook's step graph.
public struct Step: Sendable, Hashable {
    /// The unique id, read as `steps.ID` by later steps.
    public var id: String
    /// The human label, when it differs from the id.
    public var name: String?
    /// The action's name (`run:` is `shell`).
    public var action: String
    /// The action's parameters (`with:`; for `run:`, `command`), in the order written.
    public var parameters: [Parameter]
    /// The steps this one waits for, with the default (the previous step) filled in.
    public var needs: [String]
    /// Where each of `needs` is written; empty when the default applies.
    public var needLocations: [SourceLocation]
    /// The `if:` condition; nil means `success()`.
    public var condition: ConditionValue?
    /// The step fails when it runs longer than this; nil means the action's default.
    public var timeout: Duration?
    /// How the step is tried again.
    public var retry: RetryPolicy?
    /// Whether a failure counts as success for what follows.
    public var continueOnError: Bool
    /// The `confirm:` setting as written; nil when absent.
    public var confirmation: Confirmation?
    /// Overrides the action's own kind when set.
    public var mutating: Bool?
    /// Whether this step's success marks the incident recovered.
    public var recovery: Bool
    /// Extra environment variables for `shell` steps.
    public var environment: [Parameter]
    /// Where the step begins.
    public var location: SourceLocation
    /// Where each key of the step is written, for diagnostics.
    public var keyLocations: [String: SourceLocation]
    /// For a `shell` step whose command holds expressions: the command compiled to read their values from
    /// environment variables (see ``ShellScript``).
    public var shellScript: ShellScript?
    /// The target this step holds while it acts (`lock:`), beside its action's own: another run's step that names
    /// the same target waits for it.
    public var lock: String?

    /// The name, else the id.
    public var displayName: String { name ?? id }

    /// What a `lock:` may be: a letter or digit, then letters, digits and `:/._@-`.
    public static let lockNamePattern = "^[A-Za-z0-9][A-Za-z0-9:/._@-]*$"


    /// The parameter called `name`, if written.
    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Whether the step runs mutating code: its own `mutating:` when written, else the action's kind.
    public func isMutating(actionMutating: Bool) -> Bool { mutating ?? actionMutating }

    /// Whether a human must approve the step before it runs.
    /// - Parameters:
    ///   - actionMutating: the action's own kind.
    ///   - environmentRequiresConfirmation: the environment's `require_confirmation`.
    public func isGated(actionMutating: Bool, environmentRequiresConfirmation: Bool = false) -> Bool {
        let mutating = isMutating(actionMutating: actionMutating)
        if mutating && environmentRequiresConfirmation { return true }
        if let confirmation { return confirmation.enabled }
        return mutating
    }
}

/// A named value given to an action or to a shell's environment.
public struct Parameter: Sendable, Hashable {
    /// The parameter's name.
    public var name: String
    /// Its value; strings may hold expressions.
    public var value: ParameterValue
    /// Where the key is written.
    public var location: SourceLocation
}
