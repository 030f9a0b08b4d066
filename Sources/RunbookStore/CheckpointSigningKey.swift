import Crypto
import Foundation

/// The private key that signs checkpoints: an Ed25519 key kept in a file only its owner can read.
///
/// The file holds one line, `ed25519-private:<base64 of the 32-byte seed>`; ``publicKey`` is derived from it.
public struct CheckpointSigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// The prefix of the file's line.
    static let prefix = "ed25519-private:"

    /// A new random key.
    public init() {
        key = Curve25519.Signing.PrivateKey()
    }

    /// Reads the key file at `path`.
    /// - Throws: ``CheckpointKeyError`` naming the file when it cannot be read or holds no private key.
    public init(file path: String) throws(CheckpointKeyError) {
        let text = try Self.readText(path, what: "signing key")
        guard text.hasPrefix(Self.prefix), let seed = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        else {
            throw CheckpointKeyError(
                "the signing key \(path) is not an Ed25519 private key (one line: ed25519-private:<base64>); "
                    + "`runbook audit keygen --out FILE` writes one")
        }
        self.key = key
    }

    /// The public half.
    public var publicKey: CheckpointPublicKey { CheckpointPublicKey(key: key.publicKey) }

    /// The file's text: `ed25519-private:<base64>` and a newline.
    public var fileText: String { Self.prefix + key.rawRepresentation.base64EncodedString() + "\n" }

    /// Writes the key to a new file `path` readable by its owner only (mode 0600).
    /// - Throws: ``CheckpointKeyError`` when the file exists or cannot be written.
    public func write(to path: String) throws(CheckpointKeyError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CheckpointKeyError("cannot create the key file \(path): \(reason) (an existing key is never replaced)")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(fileText.utf8))
            try handle.synchronize()
        } catch {
            throw CheckpointKeyError("cannot write the key file \(path): \(error.localizedDescription)")
        }
    }

    /// The signature of `message`.
    func signature(for message: Data) -> Data {
        // Signing with a valid key does not fail; an empty signature would fail every check.
        (try? key.signature(for: message)) ?? Data()
    }

    /// The trimmed text of the key file at `path`.
    static func readText(_ path: String, what: String) throws(CheckpointKeyError) -> String {
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw CheckpointKeyError("cannot read the \(what) \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
