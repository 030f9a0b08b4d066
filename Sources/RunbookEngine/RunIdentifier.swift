import Foundation
import RunbookLanguage

/// Makes run and incident ids that sort by time and read well in a terminal: `r-20261122-100400-7f3a`.
public enum RunIdentifier {
    /// A new run id for a run started at `date`.
    public static func newRun(at date: Date = Date()) -> String { "r-" + stamp(date) }

    /// A new incident id for an incident opened at `date`.
    public static func newIncident(at date: Date = Date()) -> String { "inc-" + stamp(date) }

    /// `YYYYMMDD-HHMMSS-xxxx` in UTC, `xxxx` four random hex digits.
    private static func stamp(_ date: Date) -> String {
        let time = UTCTime(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
        let pad = UTCTime.padded
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return pad(time.year, 4) + pad(time.month, 2) + pad(time.day, 2) + "-" + pad(time.hour, 2) + pad(time.minute, 2)
            + pad(time.second, 2) + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }
}
