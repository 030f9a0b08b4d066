import RunbookLanguage

/// The data of one kind of event as Swift values: what writers build and folds, timelines and notifications read.
///
/// Each payload encodes to exactly the JSON its kind has always been stored with (the same keys, present under the
/// same conditions), so stores written by earlier releases verify and read as before. Reading is lenient: a field
/// that is missing, or of another JSON type, reads as nil — a store written before the field existed lacks it.
public protocol EventPayload: Sendable, Equatable {
    /// The event types whose data this is (most payloads have one).
    static var types: Set<String> { get }
    /// The event type this payload is recorded as.
    var type: String { get }
    /// Reads the data of an event of `type`, one of ``types``.
    init(type: String, data: Value)
    /// The data, as stored.
    var data: Value { get }
}

extension EventPayload {
    /// Reads the data of an event of the payload's one type.
    public init(data: Value) {
        self.init(type: Self.types.first ?? "", data: data)
    }
}

extension AuditEvent {
    /// The event's data as `payload`, or nil when the event is of another type.
    public func payload<Payload: EventPayload>(_ payload: Payload.Type) -> Payload? {
        Payload.types.contains(type) ? Payload(type: type, data: data) : nil
    }

}

extension EventDraft {
    /// A draft of `payload`'s type holding its data.
    public init(run: String, incident: String? = nil, step: String? = nil, actor: Actor? = nil,
                _ payload: some EventPayload) {
        self.init(run: run, incident: incident, type: payload.type, step: step, actor: actor, data: payload.data)
    }
}
