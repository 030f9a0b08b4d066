import Foundation

/// The time zone a timeline shows its times in: UTC by default (as postmortems are written), an IANA name such as
/// `Asia/Kolkata`, or a fixed offset such as `+05:30`.
public struct ReportTimeZone: Sendable, Hashable {
    /// The name as the user wrote it, normalised: `UTC`, `Asia/Kolkata`, `+05:30`.
    public let name: String
    /// The zone, for IANA names; nil for UTC and fixed offsets.
    let zone: TimeZone?
    /// The offset from UTC in seconds, for UTC and fixed offsets.
    let fixedOffset: Int?

    /// UTC.
    public static let utc = ReportTimeZone(name: "UTC", zone: nil, fixedOffset: 0)

    private init(name: String, zone: TimeZone?, fixedOffset: Int?) {
        self.name = name
        self.zone = zone
        self.fixedOffset = fixedOffset
    }

    /// Parses `--tz`: `UTC`, `Z`, an IANA name (`Europe/Berlin`), or an offset (`+05:30`, `-0800`, `+02`).
    /// - Throws: ``ReportError`` (invalid input) naming the accepted forms.
    public init(parsing text: String) throws(ReportError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if ["utc", "z", "gmt"].contains(trimmed.lowercased()) {
            self = .utc
            return
        }
        if let first = trimmed.first, first == "+" || first == "-" {
            guard let seconds = Self.offsetSeconds(trimmed) else {
                throw Self.unknown(text)
            }
            self.init(name: Self.offsetText(seconds), zone: nil, fixedOffset: seconds)
            return
        }
        guard trimmed.contains("/"), let zone = TimeZone(identifier: trimmed) else { throw Self.unknown(text) }
        self.init(name: zone.identifier, zone: zone, fixedOffset: nil)
    }

    /// Whether this is UTC.
    public var isUTC: Bool { fixedOffset == 0 && zone == nil }

    /// The offset from UTC in seconds at `seconds` since 1970.
    func offset(atSeconds seconds: Int64) -> Int {
        if let fixedOffset { return fixedOffset }
        guard let zone else { return 0 }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// `+05:30` for 19,800 seconds.
    static func offsetText(_ seconds: Int) -> String {
        let magnitude = abs(seconds) / 60
        var text = seconds < 0 ? "-" : "+"
        CivilTime.appendDigits(Int64(magnitude / 60), count: 2, to: &text)
        text += ":"
        CivilTime.appendDigits(Int64(magnitude % 60), count: 2, to: &text)
        return text
    }

    /// The seconds of `+HH:MM`, `+HHMM` or `+HH`, at most 18 hours; nil otherwise.
    private static func offsetSeconds(_ text: String) -> Int? {
        let sign = text.hasPrefix("-") ? -1 : 1
        let digits = text.dropFirst().replacingOccurrences(of: ":", with: "")
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCII), let value = Int(digits),
            value >= 0
        else { return nil }
        let hours = digits.count == 2 ? value : value / 100
        let minutes = digits.count == 2 ? 0 : value % 100
        guard minutes < 60, hours * 60 + minutes <= 18 * 60 else { return nil }
        return sign * (hours * 3_600 + minutes * 60)
    }

    private static func unknown(_ text: String) -> ReportError {
        ReportError(
            .invalidInput, "unknown time zone '\(text)'",
            hint: "use UTC (the default), an IANA name such as Asia/Kolkata or America/New_York, "
                + "or a fixed offset such as +05:30 or -08:00")
    }
}
