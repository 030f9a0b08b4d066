/// A timeline that cannot be made: an unknown run or incident, a bad option, a template that does not parse, a
/// broken audit chain, or a store that cannot be read.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is, for the caller's exit code.
    public enum Code: Sendable, Hashable {
        /// An unknown run or incident, a bad time zone, template or output file: the user's input (exit 2).
        case invalidInput
        /// The audit chain does not verify up to the events used (exit 1).
        case chainBroken
        /// The store cannot be read (exit 5).
        case store
    }

    /// What kind of failure it is.
    public var code: Code
    /// What went wrong, as a sentence.
    public var message: String
    /// What to do about it.
    public var hint: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// The message.
    public var description: String { message }
}
