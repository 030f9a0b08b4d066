import Crypto
import Foundation

/// Checks stored records one by one, in sequence order, working on their bytes without parsing the JSON.
///
/// ``inspect(_:)`` checks what depends on the previous record (no gap in `seq`, `prev` equal to the previous line's
/// `hash`) and what the indexed columns claim; ``hashMatches(line:)`` recomputes one line's hash and depends on
/// nothing else, so a caller may run it for many lines in parallel. Both rely on ``AuditLine``'s layout: a line ends
/// with `,"prev":"<64 hex>","hash":"<64 hex>"}` and starts `{"seq":…,"ts":…,"run":…,"incident":…,"type":…,"step":…`.
struct ChainVerifier {
    /// One stored row, lent by the database: the line and the columns that index it.
    struct Record {
        /// The `seq` column.
        var seq: Int64
        /// The stored line.
        var line: UnsafeBufferPointer<UInt8>
        /// The `run` column.
        var run: UnsafeBufferPointer<UInt8>
        /// The `incident` column, nil for `NULL`.
        var incident: UnsafeBufferPointer<UInt8>?
        /// The `type` column.
        var type: UnsafeBufferPointer<UInt8>
        /// The `step` column, nil for `NULL`.
        var step: UnsafeBufferPointer<UInt8>?
        /// The `hash` column.
        var hash: UnsafeBufferPointer<UInt8>
        /// The `prev` column.
        var prev: UnsafeBufferPointer<UInt8>
        /// The `ts` column.
        var timestamp: UnsafeBufferPointer<UInt8>
    }

    /// A record that does not match.
    struct Finding: Sendable, Hashable {
        /// How findings on the same record rank: the lowest is reported.
        enum Kind: Int, Sendable, Comparable {
            /// Records before this one are missing.
            case gap
            /// The line does not end with `prev` and `hash`, so it cannot be hashed.
            case malformed
            /// The recomputed hash differs from the stored one.
            case hash
            /// `prev` is not the previous record's hash.
            case chain
            /// An indexed column disagrees with the line, or the line's start is not canonical.
            case column

            static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
        }

        /// The record's sequence number.
        var seq: Int64
        /// How many records were read up to and including this one.
        var position: Int64
        /// What kind of problem it is.
        var kind: Kind
        /// The problem, for the report: `hash mismatch`, `prev does not match seq 41`, `missing seq 42`.
        var problem: String

        /// Whether this finding should be reported instead of `other`.
        func precedes(_ other: Finding) -> Bool {
            seq != other.seq ? seq < other.seq : kind < other.kind
        }
    }

    /// Records inspected so far.
    private(set) var inspected: Int64 = 0
    /// The sequence number the next record must have.
    private var expectedSeq: Int64 = 1
    /// The previous line's `hash` (64 zeros before the first record).
    private var previousHash = [UInt8](repeating: UInt8(ascii: "0"), count: 64)

    /// Length of the fixed-size end of every line: `,"prev":"<64 hex>","hash":"<64 hex>"}`.
    static let trailerLength = AuditLine.prevFieldLength + AuditLine.hashFieldLength + 1

    /// Checks everything about `record` except its own hash.
    /// - Returns: The first problem found, or nil.
    mutating func inspect(_ record: Record) -> Finding? {
        inspected += 1
        func finding(_ kind: Finding.Kind, _ problem: String) -> Finding {
            Finding(seq: record.seq, position: inspected, kind: kind, problem: problem)
        }
        defer { expectedSeq = record.seq + 1 }
        if record.seq > expectedSeq {
            let missing = record.seq - expectedSeq == 1 ? "\(expectedSeq)" : "\(expectedSeq) to \(record.seq - 1)"
            return finding(.gap, "missing seq \(missing)")
        }
        if record.seq < expectedSeq {
            return finding(.gap, "seq \(record.seq) is out of order after seq \(expectedSeq - 1)")
        }
        let line = record.line
        guard Self.hasTrailer(line) else {
            return finding(.malformed, "malformed record: it does not end with 64-hex-digit \"prev\" and \"hash\"")
        }
        let prevInLine = UnsafeBufferPointer(rebasing: line[(line.count - 140)..<(line.count - 76)])
        let hashInLine = UnsafeBufferPointer(rebasing: line[(line.count - 66)..<(line.count - 2)])
        defer {
            for index in 0..<64 { previousHash[index] = hashInLine[index] }
        }
        guard previousHash.withUnsafeBufferPointer({ Self.equal(prevInLine, $0) }) else {
            let problem =
                record.seq == 1 ? "prev of seq 1 is not 64 zeros" : "prev does not match seq \(record.seq - 1)"
            return finding(.chain, problem)
        }
        if let problem = Self.columnProblem(record, hashInLine: hashInLine, prevInLine: prevInLine) {
            return finding(.column, problem)
        }
        return nil
    }

    /// Whether `line` ends with `,"prev":"<64>","hash":"<64>"}`.
    static func hasTrailer(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = line.count
        guard count >= trailerLength + 2, line[count - 1] == UInt8(ascii: "}"), line[count - 2] == UInt8(ascii: "\""),
            line[count - 76] == UInt8(ascii: "\"")
        else { return false }
        return matches(line, at: count - 75, #","hash":""#) && matches(line, at: count - 149, #","prev":""#)
    }

    /// Whether the hash stored at the end of `line` is `sha256(prev || line without its hash field)`.
    ///
    /// `line` must have passed ``hasTrailer(_:)``.
    static func hashMatches(line: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = line.count
        var hasher = SHA256()
        let raw = UnsafeRawBufferPointer(line)
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[(count - 140)..<(count - 76)]))
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[0..<(count - 75)]))
        withUnsafeBytes(of: UInt8(ascii: "}")) { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        var position = count - 66
        for byte in digest {
            guard line[position] == hexDigit(byte >> 4), line[position + 1] == hexDigit(byte & 0x0F) else {
                return false
            }
            position += 2
        }
        return true
    }

    /// What disagrees between the indexed columns and the line, or nil.
    private static func columnProblem(
        _ record: Record, hashInLine: UnsafeBufferPointer<UInt8>, prevInLine: UnsafeBufferPointer<UInt8>
    ) -> String? {
        guard equal(record.hash, hashInLine) else { return "the hash column does not match the record" }
        guard equal(record.prev, prevInLine) else { return "the prev column does not match the record" }
        var scanner = LineScanner(line: record.line)
        guard scanner.expect(#"{"seq":"#), let seq = scanner.integer() else {
            return "malformed record: it does not start with \"seq\""
        }
        guard seq == record.seq else { return "the seq column does not match the record" }
        guard scanner.expect(#","ts":"#), let timestamp = scanner.string() else {
            return "malformed record: \"ts\" is not a string"
        }
        guard jsonString(timestamp, equals: record.timestamp) else { return "the ts column does not match the record" }
        guard scanner.expect(#","run":"#), let run = scanner.string() else {
            return "malformed record: \"run\" is not a string"
        }
        guard jsonString(run, equals: record.run) else { return "the run column does not match the record" }
        guard scanner.expect(#","incident":"#) else { return "malformed record: \"incident\" is not where expected" }
        switch scanner.optionalString() {
        case .invalid: return "malformed record: \"incident\" is neither a string nor null"
        case .null where record.incident != nil: return "the incident column does not match the record"
        case .string(let incident):
            guard let column = record.incident, jsonString(incident, equals: column) else {
                return "the incident column does not match the record"
            }
        case .null: break
        }
        guard scanner.expect(#","type":"#), let type = scanner.string() else {
            return "malformed record: \"type\" is not a string"
        }
        guard jsonString(type, equals: record.type) else { return "the type column does not match the record" }
        guard scanner.expect(#","step":"#) else { return "malformed record: \"step\" is not where expected" }
        switch scanner.optionalString() {
        case .invalid: return "malformed record: \"step\" is neither a string nor null"
        case .null where record.step != nil: return "the step column does not match the record"
        case .string(let step):
            guard let column = record.step, jsonString(step, equals: column) else {
                return "the step column does not match the record"
            }
        case .null: break
        }
        return nil
    }

    /// Whether the escaped contents of a JSON string token are the canonical escaping of `text`.
    private static func jsonString(_ token: UnsafeBufferPointer<UInt8>, equals text: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        if equal(token, text) { return true }
        var position = 0
        var escape: [UInt8] = []
        for byte in text {
            if CanonicalJSON.needsEscape(byte) {
                escape.removeAll(keepingCapacity: true)
                CanonicalJSON.appendEscape(for: byte, to: &escape)
                for expected in escape {
                    guard position < token.count, token[position] == expected else { return false }
                    position += 1
                }
            } else {
                guard position < token.count, token[position] == byte else { return false }
                position += 1
            }
        }
        return position == token.count
    }

    /// Whether `line` holds `literal` at `offset`.
    private static func matches(_ line: UnsafeBufferPointer<UInt8>, at offset: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset >= 0, offset + count <= line.count, let base = line.baseAddress else { return false }
        return memcmp(base + offset, literal.utf8Start, count) == 0
    }

    /// Whether two byte ranges are equal.
    @inline(__always)
    static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return lhs.count == 0 }
        return memcmp(left, right, lhs.count) == 0
    }

    /// The lowercase hex digit of a value below 16.
    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value
    }

}
