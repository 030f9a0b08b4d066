/// A problem found while parsing or evaluating an expression or template.
///
/// `offset` counts Unicode scalars from the start of the text that was parsed (the whole template
/// string for templates), so callers can turn it into a line and column of the runbook file.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Unicode-scalar offset of the problem in the parsed text.
    public let offset: Int
    /// A sentence saying what is wrong and, where possible, how to fix it.
    public let message: String

    /// Creates an error at `offset` with a user-facing `message`.
    /// - Parameters:
    ///   - offset: The Unicode-scalar offset of the problem in the parsed text.
    ///   - message: What is wrong, written for the runbook author.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// The message prefixed with its offset, e.g. `offset 4: unexpected character '$'`.
    public var description: String {
        "offset \(offset): \(message)"
    }
}
