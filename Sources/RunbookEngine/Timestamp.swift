import Foundation

/// RFC 3339 UTC timestamps, as the audit log and `--since` write them.
public enum Timestamp {
    /// Parses `2026-11-22T10:04:05.123456Z`, with any fraction or none.
    public static func parse(_ text: String) -> Date? {
        fractional.date(from: text) ?? whole.date(from: text)
    }

    /// `date` as RFC 3339 UTC with milliseconds.
    public static func format(_ date: Date) -> String { fractional.string(from: date) }

    // `nonisolated(unsafe)`: formatters are configured once here and only read afterwards; ISO8601DateFormatter's
    // conversions do not mutate it, and building one per call showed up in loops over an incident's events.
    private nonisolated(unsafe) static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
    private nonisolated(unsafe) static let whole = ISO8601DateFormatter()
}
