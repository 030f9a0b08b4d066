/// Why a subscription confirmation must not be followed.
public struct SNSConfirmationRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates a refusal.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
