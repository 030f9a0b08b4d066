import Foundation

/// RFC 3339 timestamps: what the audit log and `--since` write, and what alert webhooks send.
public enum Timestamp {
    /// Parses an RFC 3339 date-time: `2026-11-22T10:04:05Z`, `2017-08-03T15:17:37.804-04:00`,
    /// `2018-03-07T06:33:21.873077559-05:00` or CloudWatch's `2019-02-15T23:53:45.093+0000`.
    ///
    /// The fraction has 0 to 9 digits (kept to the precision a `Date` holds); the offset is `Z`, `±hh:mm` or
    /// `±hhmm`; `T` and `Z` may be lowercase. Out-of-range fields (`2024-02-30`, `25:00`) and trailing text are
    /// refused, unlike Foundation's lenient ISO 8601 parsers (`ISO8601DateFormatter` also drops every digit after
    /// the milliseconds).
    /// - Returns: The instant, or nil when `text` is not such a timestamp.
    public static func parse(_ text: String) -> Date? {
        var scanner = TimestampScanner(text)
        return scanner.dateTime()
    }

    /// `date` as RFC 3339 UTC with milliseconds, e.g. `2026-11-22T10:04:05.123Z`.
    public static func format(_ date: Date) -> String { fractional.string(from: date) }

    // `nonisolated(unsafe)`: the formatter is configured once here and only read afterwards; ISO8601DateFormatter's
    // conversions do not mutate it, and building one per call showed up in loops over an incident's events.
    private nonisolated(unsafe) static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
