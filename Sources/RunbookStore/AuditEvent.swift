import RunbookLanguage

/// A stored event: one record of the append-only, hash-chained audit log.
///
/// `hash = sha256(prev || canonical JSON of the record without hash)`, both in lowercase hex; the first record's
/// `prev` is 64 zeros. The canonical JSON has the keys in the order `seq, ts, run, incident, type, step, actor,
/// data, prev` (absent values as `null`), `data` with its keys sorted, and no insignificant whitespace; `line` is
/// that JSON with `"hash"` appended, exactly as stored and exported.
public struct AuditEvent: Sendable, Hashable {
    /// The position in the global order, from 1.
    public var seq: Int64
    /// When it was stored: RFC 3339 UTC with microseconds, `2026-11-22T10:04:05.123456Z`.
    public var timestamp: String
    /// The run it belongs to.
    public var run: String
    /// The incident, if any.
    public var incident: String?
    /// What happened.
    public var type: String
    /// The step it concerns, if any.
    public var step: String?
    /// Who caused it.
    public var actor: Actor?
    /// The details.
    public var data: Value
    /// The previous record's hash.
    public var prev: String
    /// This record's hash.
    public var hash: String
    /// The record as stored: one line of JSON.
    public var line: String

    /// Creates a record (stores build these; tests may too).
    public init(seq: Int64, timestamp: String, run: String, incident: String?, type: String, step: String?,
                actor: Actor?, data: Value, prev: String, hash: String, line: String) {
        self.seq = seq
        self.timestamp = timestamp
        self.run = run
        self.incident = incident
        self.type = type
        self.step = step
        self.actor = actor
        self.data = data
        self.prev = prev
        self.hash = hash
        self.line = line
    }
}

/// The latest record of the log.
public struct AuditHead: Sendable, Hashable {
    /// Its sequence number.
    public var seq: Int64
    /// Its hash.
    public var hash: String

    /// Creates a head.
    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }
}

/// The outcome of recomputing the chain.
public struct VerificationReport: Sendable, Hashable {
    /// Records checked.
    public var checked: Int64
    /// The first record that does not match, if any.
    public var firstBad: Int64?
    /// Why it does not match (`hash mismatch`, `prev does not match seq 41`, `missing seq 42`).
    public var problem: String?
    /// The last good head.
    public var head: AuditHead?
    /// The checkpoints that were checked and hold (those in the log, and those the caller gave).
    public var checkpoints: [AuditCheckpoint] = []

    /// The newest record a checkpoint that holds covers, if any.
    public var coveredSeq: Int64? { checkpoints.compactMap(\.seq).max() }

    /// Creates a report.
    public init(checked: Int64, firstBad: Int64? = nil, problem: String? = nil, head: AuditHead? = nil) {
        self.checked = checked
        self.firstBad = firstBad
        self.problem = problem
        self.head = head
    }

    /// Whether every record matched.
    public var isIntact: Bool { firstBad == nil }
}
