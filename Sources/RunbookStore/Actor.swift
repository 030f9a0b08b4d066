/// Who caused an event: a person, a command-line flag, an alert, or the engine itself.
public struct Actor: Sendable, Hashable, Codable {
    /// `user`, `flag`, `alert` or `system`.
    public var kind: String
    /// The person's name, the flag, the alert source, or the component.
    public var id: String

    /// Creates an actor.
    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }

    /// A person, by name.
    public static func user(_ name: String) -> Actor { Actor(kind: "user", id: name) }

    /// The engine itself.
    public static let system = Actor(kind: "system", id: "runbook")
}
