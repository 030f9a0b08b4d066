import Foundation

/// Makes run and incident ids that sort by time and read well in a terminal: `r-20261122-100400-7f3a`.
public enum RunIdentifier {
    /// A new run id for a run started at `date`.
    public static func newRun(at date: Date = Date()) -> String { "r-" + stamp(date) }

    /// A new incident id for an incident opened at `date`.
    public static func newIncident(at date: Date = Date()) -> String { "inc-" + stamp(date) }

    private static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return String(
            format: "%04d%02d%02d-%02d%02d%02d-%@", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, String(repeating: "0", count: 4 - suffix.count) + suffix)
    }
}
