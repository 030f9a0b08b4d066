import RunbookLanguage

/// `notify.sent` or `notify.failed`: an incident notification about one event was posted to a channel, or could not be.
public struct NotificationOutcome: EventPayload {
    public static let types: Set<String> = [EventType.notifySent, EventType.notifyFailed]
    public var type: String { error == nil ? EventType.notifySent : EventType.notifyFailed }

    /// The channel's name under `notify:`.
    public var channel: String?
    /// The type of the event it was about.
    public var about: String?
    /// The sequence number of the event it was about.
    public var aboutSeq: Int64?
    /// Why it could not be posted; nil when it was.
    public var error: String?

    /// Creates the payload.
    public init(channel: String, about: String, aboutSeq: Int64, error: String? = nil) {
        self.channel = channel
        self.about = about
        self.aboutSeq = aboutSeq
        self.error = error
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        channel = fields.string("channel")
        about = fields.string("about")
        aboutSeq = fields.integer("about_seq")
        error = fields.string("error") ?? (type == EventType.notifyFailed ? "" : nil)
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("channel", channel)
        fields.set("about", about)
        fields.set("about_seq", aboutSeq)
        fields.set("error", error)
        return fields.data
    }
}
