/// The YAML scalar an expression was read from: where it starts, how it is quoted, and its text.
public struct ScalarSite: Sendable, Hashable {
    /// The position of the scalar's first character (its opening quote, for quoted styles).
    public var start: SourceLocation
    /// How the scalar is written.
    public var style: Style
    /// The scalar's value after YAML unquoting and folding.
    public var content: String

    /// How a scalar is written in YAML.
    public enum Style: Sendable, Hashable {
        case plain, quoted, block
    }
}
