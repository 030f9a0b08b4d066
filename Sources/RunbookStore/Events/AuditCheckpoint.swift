import Foundation
import RunbookLanguage

/// `audit.checkpoint`: a signed statement that the log of the store `store` held `seq` records, the last with hash
/// `hash`, at `time`. Anyone holding the public key can later prove the store still holds exactly that prefix:
/// changing any record up to `seq`, even re-hashing the chain after it, changes the hash at `seq`.
///
/// The signature is Ed25519 over ``signedMessage``, which names every field but the key and the signature. A
/// checkpoint is recorded in the log with run `""` (it belongs to no run), and printed or posted as its JSON ``data``.
public struct AuditCheckpoint: EventPayload, Hashable {
    public static let types: Set<String> = [EventType.auditCheckpoint]
    public var type: String { EventType.auditCheckpoint }

    /// The run a checkpoint is recorded under: none, as for other events of the whole store.
    public static let run = ""

    /// The store's id: the hash of its first record (see ``EventStore/storeID()``).
    public var store: String?
    /// The sequence number of the newest record it covers.
    public var seq: Int64?
    /// That record's hash.
    public var hash: String?
    /// When it was signed, RFC 3339 UTC.
    public var time: String?
    /// The public key that signed it, as ``CheckpointPublicKey/text`` writes it (`ed25519:<base64>`).
    public var key: String?
    /// The Ed25519 signature of ``signedMessage``, base64.
    public var signature: String?

    /// Creates an unsigned checkpoint of `head`.
    public init(store: String, head: AuditHead, time: String) {
        self.store = store
        seq = head.seq
        hash = head.hash
        self.time = time
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        store = fields.string("store")
        seq = fields.integer("seq")
        hash = fields.string("hash")
        time = fields.string("time")
        key = fields.string("key")
        signature = fields.string("signature")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("store", store)
        fields.set("seq", seq)
        fields.set("hash", hash)
        fields.set("time", time)
        fields.set("key", key)
        fields.set("signature", signature)
        return fields.data
    }

    /// The head it covers, when it names one.
    public var head: AuditHead? {
        guard let seq, let hash else { return nil }
        return AuditHead(seq: seq, hash: hash)
    }

    /// The bytes that are signed: `runbook-checkpoint/1`, the store, seq, hash and time, one a line.
    public var signedMessage: Data {
        let fields = ["runbook-checkpoint/1", store ?? "", seq.map(String.init) ?? "", hash ?? "", time ?? ""]
        return Data((fields.joined(separator: "\n") + "\n").utf8)
    }

    /// This checkpoint signed with `key`.
    public func signed(with key: CheckpointSigningKey) -> AuditCheckpoint {
        var signed = self
        signed.key = key.publicKey.text
        signed.signature = key.signature(for: signedMessage).base64EncodedString()
        return signed
    }

    /// Why the signature does not hold, or nil when it does: made by the key it names, and by `trusted` when given.
    public func signatureProblem(trusting trusted: CheckpointPublicKey?) -> String? {
        guard let key, let signature else { return "it is not signed" }
        let signer: CheckpointPublicKey
        do throws(CheckpointKeyError) {
            signer = try CheckpointPublicKey(text: key)
        } catch {
            return "its key is not an Ed25519 public key"
        }
        if let trusted, trusted != signer {
            return "it is signed by another key (\(signer.fingerprint)), not by \(trusted.fingerprint)"
        }
        guard let bytes = Data(base64Encoded: signature), signer.isValidSignature(bytes, for: signedMessage) else {
            return "its signature is not valid"
        }
        return nil
    }

    /// Reads a checkpoint saved as JSON (what `runbook audit checkpoint --output json` prints, or the `data` of an
    /// `audit.checkpoint` event, or the whole event's line).
    /// - Throws: ``CheckpointKeyError`` saying what is missing.
    public init(json text: String) throws(CheckpointKeyError) {
        guard case .object(var fields)? = try? Value(jsonString: text) else {
            throw CheckpointKeyError("it is not a JSON object")
        }
        if case .object(let data)? = fields["data"], case .string(EventType.auditCheckpoint)? = fields["type"] {
            fields = data
        }
        self.init(type: EventType.auditCheckpoint, data: .object(fields))
        guard store != nil, seq != nil, hash != nil else {
            throw CheckpointKeyError("it is not a checkpoint: it needs \"store\", \"seq\" and \"hash\"")
        }
    }
}
