import RunbookLanguage
import RunbookStore

/// What verifying the audit chain said about the events a timeline uses.
public struct ChainStatus: Sendable, Hashable {
    /// Whether every record up to the last event used matched.
    public var verified: Bool
    /// Records checked.
    public var checked: Int64
    /// The last good record of the chain.
    public var head: AuditHead?
    /// The first record that does not match, when one at or before the last event used does not.
    public var firstBad: Int64?
    /// Why it does not match: `hash mismatch`, `prev does not match seq 41`.
    public var problem: String?

    /// The chain's status for events up to `lastSeq`, from a verification of the whole store: a break after the
    /// last event used does not concern them.
    public init(report: VerificationReport, lastSeq: Int64) {
        let concerned = report.firstBad.map { $0 <= lastSeq } ?? false
        verified = !concerned
        checked = report.checked
        head = report.head
        firstBad = concerned ? report.firstBad : nil
        problem = concerned ? report.problem : nil
    }

    /// `seq 1234: hash mismatch`, when the chain is broken.
    public var failure: String? {
        firstBad.map { "seq \($0): \(problem ?? "does not match")" }
    }

    /// The chain's status as the JSON and the templates have it.
    var value: Value {
        var warning: Value = .null
        if let failure {
            warning = .string(
                "UNVERIFIED: the audit chain is broken at \(failure). Events from seq \(firstBad ?? 0) on may have "
                    + "been altered; this document was rendered with --allow-unverified.")
        }
        return [
            "verified": .bool(verified), "unverified": .bool(!verified), "checked": .number(Double(checked)),
            "head_seq": head.map { .number(Double($0.seq)) } ?? .null, "head_hash": head.map { .string($0.hash) } ?? .null,
            "first_bad_seq": firstBad.map { .number(Double($0)) } ?? .null, "problem": problem.value,
            "warning": warning,
        ]
    }
}
