/// Who caused an event: a person, a command-line flag, an alert, or the engine itself.
public struct Actor: Sendable, Hashable, Codable {
    /// `user`, `flag`, `alert` or `system`.
    public var kind: String
    /// The person's name, the flag, the alert source, or the component. On a PostgreSQL store a person at a command
    /// line is the role the store authenticated (`session_user`).
    public var id: String
    /// The OS account of the process that recorded a person known by their database role, kept beside ``id`` for
    /// people to read; nil everywhere else (and in every record written before it existed). No rule counts it.
    public var account: String?

    /// Creates an actor.
    public init(kind: String, id: String, account: String? = nil) {
        self.kind = kind
        self.id = id
        self.account = account
    }

    /// A person, by name.
    public static func user(_ name: String) -> Actor { Actor(kind: "user", id: name) }

    /// The engine itself.
    public static let system = Actor(kind: "system", id: "runbook")
}
