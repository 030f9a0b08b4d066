import Foundation

/// Makes run and incident ids that sort by time and read well in a terminal: `r-20261122-100400-7f3a`.
public enum RunIdentifier {
    /// A new run id for a run started at `date`.
    public static func newRun(at date: Date = Date()) -> String { "r-" + stamp(date) }

    /// A new incident id for an incident opened at `date`.
    public static func newIncident(at date: Date = Date()) -> String { "inc-" + stamp(date) }

    /// `YYYYMMDD-HHMMSS-xxxx` in UTC, `xxxx` four random hex digits.
    private static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return digits(parts.tm_year + 1900, 4) + digits(parts.tm_mon + 1, 2) + digits(parts.tm_mday, 2) + "-"
            + digits(parts.tm_hour, 2) + digits(parts.tm_min, 2) + digits(parts.tm_sec, 2) + "-"
            + String(repeating: "0", count: 4 - suffix.count) + suffix
    }
}
