import RunbookLanguage

/// `gate.approved` or `gate.denied`: a person answered a gate (or `--yes` did, for the starter).
public struct GateAnswered: EventPayload {
    public static let types: Set<String> = [EventType.gateApproved, EventType.gateDenied]
    public var type: String { approved ? EventType.gateApproved : EventType.gateDenied }

    /// Whether the answer approves.
    public var approved: Bool
    /// Where it was given: `runbook approve`, `terminal`, `--yes`, `api`.
    public var via: String?
    /// The approver's comment.
    public var comment: String?
    /// The reason of a denial or of a break-glass approval.
    public var reason: String?
    /// Whether it is a break-glass approval, which decides a gate that needs more approvals on its own.
    public var breakGlass: Bool
    /// The answerer's display name (`$RUNBOOK_USER`), beside the account that is the actor.
    public var displayName: String?

    /// Creates the payload.
    public init(
        approved: Bool, via: String, comment: String? = nil, reason: String? = nil, breakGlass: Bool = false,
        displayName: String? = nil
    ) {
        self.approved = approved
        self.via = via
        self.comment = comment
        self.reason = reason
        self.breakGlass = breakGlass
        self.displayName = displayName
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        approved = type == EventType.gateApproved
        via = fields.string("via")
        comment = fields.string("comment")
        reason = fields.string("reason")
        breakGlass = fields.bool("break_glass") == true
        displayName = fields.string("display_name")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("via", via)
        fields.set("comment", comment)
        fields.set("reason", reason)
        if breakGlass { fields.set("break_glass", true) }
        fields.set("display_name", displayName)
        return fields.data
    }
}
