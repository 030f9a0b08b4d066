import RunbookLanguage

/// `note.added`: a person put a line into the record of a run or an incident.
public struct NoteAdded: EventPayload {
    public static let types: Set<String> = [EventType.noteAdded]
    public var type: String { EventType.noteAdded }

    /// The note (secrets redacted).
    public var text: String?

    /// Creates the payload.
    public init(text: String) {
        self.text = text
    }

    public init(type: String, data: Value) {
        text = PayloadReader(data: data).string("text")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("text", text)
        return fields.data
    }
}
