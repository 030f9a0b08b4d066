import RunbookLanguage

/// An event before it is stored: the store assigns its sequence number, time and place in the hash chain.
public struct EventDraft: Sendable, Hashable {
    /// The run it belongs to.
    public var run: String
    /// The incident the run works on, if any.
    public var incident: String?
    /// What happened: `run.started`, `step.finished`, `gate.requested`, ...
    public var type: String
    /// The step it concerns, if any.
    public var step: String?
    /// Who caused it.
    public var actor: Actor?
    /// The details; secrets must already be redacted.
    public var data: Value

    /// Creates a draft.
    public init(run: String, incident: String? = nil, type: String, step: String? = nil, actor: Actor? = nil,
                data: Value = .object([:])) {
        self.run = run
        self.incident = incident
        self.type = type
        self.step = step
        self.actor = actor
        self.data = data
    }
}
