/// One HTTP header field.
public struct HTTPHeader: Sendable, Hashable {
    /// The field name, as sent or received.
    public var name: String
    /// The field value.
    public var value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
