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
        // `0000-01-01T00:00:00+01:00` is in year 0 in UTC, which RFC 3339 cannot write back.
        return scanner.dateTime().flatMap { $0 >= firstInstant ? $0 : nil }
    }

    /// `0001-01-01T00:00:00Z`, the first instant RFC 3339 can write in UTC.
    static let firstInstant = Date(timeIntervalSince1970: -62_135_596_800)

    /// `date` as RFC 3339 UTC with milliseconds, e.g. `2026-11-22T10:04:05.123Z` (rounded to the nearest
    /// millisecond, so a time read from such a text prints as that text).
    ///
    /// Written out by hand (see ``UTCTime``): `ISO8601DateFormatter` loads ICU on first use, a cost every
    /// `runbook exec` paid at start-up for the first event it recorded.
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1_000).rounded())
        let (wholeSeconds, milliseconds) = totalMilliseconds.quotientAndRemainder(dividingBy: 1_000)
        let time = UTCTime(secondsSince1970: milliseconds < 0 ? wholeSeconds - 1 : wholeSeconds)
        let fraction = milliseconds < 0 ? milliseconds + 1_000 : milliseconds
        let pad = UTCTime.padded
        return pad(time.year, 4) + "-" + pad(time.month, 2) + "-" + pad(time.day, 2) + "T" + pad(time.hour, 2) + ":"
            + pad(time.minute, 2) + ":" + pad(time.second, 2) + "." + pad(Int(fraction), 3) + "Z"
    }
}
