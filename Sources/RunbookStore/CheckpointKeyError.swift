/// A checkpoint key or a saved checkpoint that cannot be read or written.
public struct CheckpointKeyError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, as a sentence fragment the caller prefixes with the file: `it is not an Ed25519 private key`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
