import Crypto
import RunbookLanguage

/// The stored text of one record: its canonical JSON with `"hash"` appended, and the hash itself.
///
/// The canonical JSON is `{"seq":…,"ts":…,"run":…,"incident":…,"type":…,"step":…,"actor":…,"data":…,"prev":…}`
/// with absent values as `null`, `actor` as `{"kind":…,"id":…}` (`{"kind":…,"id":…,"account":…}` when it names an
/// account) and every value in ``CanonicalJSON`` form. Because `prev` and `hash` are always 64 hex digits, a line
/// always ends with the fixed-size `,"prev":"<64 hex>","hash":"<64 hex>"}`, which lets ``ChainVerifier`` check a
/// line without parsing it.
struct AuditLine: Sendable {
    /// The full line, UTF-8.
    var bytes: [UInt8]
    /// `sha256(prev || canonical JSON without hash)`, lowercase hex.
    var hash: String
    /// Whether the line reads back as the draft's data (false when a `NaN` or infinity became `null`).
    var isExact: Bool

    /// The `prev` of the first record: 64 zeros.
    static let genesisHash = String(repeating: "0", count: 64)

    /// Length of `,"hash":"<64 hex>"` — what is removed before the final `}` to get the hashed JSON.
    static let hashFieldLength = 74
    /// Length of `,"prev":"<64 hex>"`.
    static let prevFieldLength = 74

    /// Encodes and hashes a record.
    /// - Parameters:
    ///   - seq: Its position in the log.
    ///   - timestamp: Its time, as ``AuditClock`` formats it.
    ///   - draft: What happened.
    ///   - prev: The previous record's hash, 64 lowercase hex digits.
    init(seq: Int64, timestamp: String, draft: EventDraft, prev: String) {
        self.init(seq: seq, timestamp: timestamp, encoded: EncodedDraft(draft), prev: prev)
    }

    /// Encodes and hashes a record whose draft is already encoded.
    /// - Parameters:
    ///   - seq: Its position in the log.
    ///   - timestamp: Its time, as ``AuditClock`` formats it.
    ///   - encoded: What happened, encoded.
    ///   - prev: The previous record's hash, 64 lowercase hex digits.
    init(seq: Int64, timestamp: String, encoded: EncodedDraft, prev: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.body.count + 190)
        bytes.append(contentsOf: #"{"seq":"#.utf8)
        CanonicalJSON.appendInteger(seq, to: &bytes)
        bytes.append(contentsOf: #","ts":"#.utf8)
        CanonicalJSON.appendString(timestamp, to: &bytes)
        bytes.append(contentsOf: encoded.body)
        bytes.append(contentsOf: #","prev":""#.utf8)
        bytes.append(contentsOf: prev.utf8)
        bytes.append(contentsOf: #""}"#.utf8)

        var hasher = SHA256()
        var prev = prev
        prev.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = Self.hex(hasher.finalize())
        hash = String(decoding: digest, as: UTF8.self)
        isExact = encoded.isExact

        bytes.removeLast()
        bytes.append(contentsOf: #","hash":""#.utf8)
        bytes.append(contentsOf: digest)
        bytes.append(contentsOf: #""}"#.utf8)
        self.bytes = bytes
    }

    /// A line as a store keeps it, for copying it verbatim.
    init(storedLine line: String, hash: String) {
        bytes = Array(line.utf8)
        self.hash = hash
        isExact = true
    }

    /// The line as a string.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The lowercase hex digits of a digest.
    static func hex(_ digest: SHA256.Digest) -> [UInt8] {
        var digits: [UInt8] = []
        digits.reserveCapacity(64)
        for byte in digest {
            digits.append(CanonicalJSON.hexDigits[Int(byte >> 4)])
            digits.append(CanonicalJSON.hexDigits[Int(byte & 0x0F)])
        }
        return digits
    }
}
