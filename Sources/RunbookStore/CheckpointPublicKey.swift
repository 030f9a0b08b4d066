import Crypto
import Foundation

/// The public half of a checkpoint key: what a witness or an auditor holds to check checkpoints.
///
/// Written as one line, `ed25519:<base64 of the 32-byte key>`, in key files and in each checkpoint's `key` field.
public struct CheckpointPublicKey: Sendable, Hashable {
    /// The raw 32 bytes.
    public let raw: Data

    /// The prefix of the text form.
    static let prefix = "ed25519:"

    /// Reads the text form, surrounding whitespace ignored.
    /// - Throws: ``CheckpointKeyError`` when it is not `ed25519:` and 32 bytes of base64.
    public init(text: String) throws(CheckpointKeyError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix(CheckpointSigningKey.prefix) {
            throw CheckpointKeyError("it is a private key; give the public key (`runbook audit keygen` wrote it)")
        }
        guard trimmed.hasPrefix(Self.prefix), let raw = Data(base64Encoded: String(trimmed.dropFirst(Self.prefix.count))),
            (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
        else {
            throw CheckpointKeyError("it is not an Ed25519 public key (one line: ed25519:<base64>)")
        }
        self.raw = raw
    }

    /// Reads the key file at `path`.
    /// - Throws: ``CheckpointKeyError`` naming the file.
    public init(file path: String) throws(CheckpointKeyError) {
        try self.init(text: try CheckpointSigningKey.readText(path, what: "public key"))
    }

    init(key: Curve25519.Signing.PublicKey) {
        raw = key.rawRepresentation
    }

    /// `ed25519:<base64>`.
    public var text: String { Self.prefix + raw.base64EncodedString() }

    /// A short name for messages: the first 16 hex digits of the key's SHA-256.
    public var fingerprint: String {
        String(SHA256.hash(data: raw).map { String(format: "%02x", $0) }.joined().prefix(16))
    }

    /// Whether `signature` is this key's signature of `message`.
    func isValidSignature(_ signature: Data, for message: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
