/// How bad an incident is, SEV1 (critical) to SEV4 (minor).
public enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible, Codable {
    case sev1 = 1, sev2, sev3, sev4

    /// The severity a runbook has when it names none.
    public static let `default` = Severity.sev3

    /// Reads `SEV1`..`SEV4` or the priority aliases `P0`..`P3` (P0 = SEV1), in any letter case.
    public init?(parsing text: String) {
        let upper = text.uppercased()
        if upper.hasPrefix("SEV"), let level = Int(upper.dropFirst(3)), let value = Severity(rawValue: level) {
            self = value
        } else if upper.hasPrefix("P"), let level = Int(upper.dropFirst()), let value = Severity(rawValue: level + 1) {
            self = value
        } else {
            return nil
        }
    }

    /// `SEV1`..`SEV4`.
    public var description: String { "SEV\(rawValue)" }

    /// Lower raw value is more severe, so `.sev1 < .sev2` reads "SEV1 ranks before SEV2".
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The accepted spellings, for error messages.
    static let spellings = "SEV1, SEV2, SEV3, SEV4 (or P0..P3)"
}
