/// A checked runbook: the typed, immutable form of one YAML file in `runbooks/`.
public struct Runbook: Sendable {
    /// The file it was read from, as the user named it.
    public var file: String
    /// The identifier, equal to the file name without its extension.
    public var name: String
    /// A one-line human title.
    public var title: String?
    /// When to use the runbook and what it does.
    public var description: String?
    /// The team that maintains it.
    public var owner: String?
    /// Free-form labels for `list`.
    public var tags: [String]
    /// The severity a run has unless an alert or `--severity` says otherwise.
    public var severity: Severity
    /// The recovery time objective, timed from the incident's start; no RTO clock when nil.
    public var rto: Duration?
    /// The inputs, in the order written.
    public var inputs: [InputSpec]
    /// The alert matchers that start this runbook by themselves.
    public var triggers: [Trigger]
    /// The steps, in the order written.
    public var steps: [Step]
    /// The file's text, kept to point diagnostics inside expressions.
    public var source: SourceText
    /// What `validate` warns about in the file, sorted by position; none of it stops a run.
    public var warnings: [Diagnostic] = []

    /// The step with `id`, if any.
    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }

    /// The input called `name`, if any.
    public func input(_ name: String) -> InputSpec? { inputs.first { $0.name == name } }

    /// The title, else the name.
    public var displayTitle: String { title ?? name }
}
