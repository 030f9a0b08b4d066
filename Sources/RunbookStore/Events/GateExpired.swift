import RunbookLanguage

/// `gate.expired`: a gate's timeout passed and its default applied.
public struct GateExpired: EventPayload {
    public static let types: Set<String> = [EventType.gateExpired]
    public var type: String { EventType.gateExpired }

    /// The default that applied: `approve` or `deny`.
    public var defaultDecision: String?

    /// Creates the payload.
    public init(defaultDecision: String) {
        self.defaultDecision = defaultDecision
    }

    public init(type: String, data: Value) {
        defaultDecision = PayloadReader(data: data).string("default")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("default", defaultDecision)
        return fields.data
    }
}
