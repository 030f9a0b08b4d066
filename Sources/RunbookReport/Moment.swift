import RunbookLanguage

/// A point in a timeline: its absolute time, in UTC and in the report's zone, and its offset from the incident's
/// start. Its texts are computed when asked for, so a template that shows only the clock time of 100,000 events
/// formats nothing else.
struct Moment: Sendable, Hashable {
    /// Microseconds since 1970.
    var microseconds: Int64
    /// The report zone's offset from UTC at this moment, in seconds.
    var zoneOffset: Int
    /// The incident's start, in microseconds since 1970.
    var origin: Int64
    /// Whether the report's zone is UTC (shown as `UTC` rather than `+00:00`).
    var isUTC: Bool

    /// The names of its fields, as the JSON and the templates have them.
    static let fieldNames = ["utc", "local", "date", "clock", "offset", "offset_ms"]

    /// A field by name: `utc` (`2026-11-23T09:24:30.396Z`), `local` (`2026-11-23 14:54:30 +05:30`, or `… UTC`),
    /// `date` (`2026-11-23`), `clock` (`14:54:30`), `offset` (`T+03:12`, `T+01:02:03` past an hour), `offset_ms`.
    func field(_ name: String) -> String? {
        switch name {
        case "utc": utc
        case "local": date + " " + clock + " " + (isUTC ? "UTC" : ReportTimeZone.offsetText(zoneOffset))
        case "date": date
        case "clock": clock
        case "offset": Self.offsetText(microseconds - origin)
        case "offset_ms": String(CivilTime.floorDivide(microseconds - origin, 1_000).0)
        default: nil
        }
    }

    /// The moment as the JSON and the templates have it.
    var value: Value {
        var members: [String: Value] = [:]
        for name in Self.fieldNames { members[name] = field(name).map(Value.string) }
        members["offset_ms"] = .number(Double(CivilTime.floorDivide(microseconds - origin, 1_000).0))
        return .object(members)
    }

    /// The calendar fields in the report's zone.
    private var local: (year: Int64, month: Int64, day: Int64, secondOfDay: Int64) {
        let seconds = CivilTime.floorDivide(microseconds, CivilTime.microsecondsPerSecond).0
        return CivilTime.fields(ofSeconds: seconds + Int64(zoneOffset))
    }

    private var date: String {
        let local = self.local
        var text = ""
        CivilTime.appendDigits(local.year, count: 4, to: &text)
        text += "-"
        CivilTime.appendDigits(local.month, count: 2, to: &text)
        text += "-"
        CivilTime.appendDigits(local.day, count: 2, to: &text)
        return text
    }

    private var clock: String { Self.clockText(local.secondOfDay) }

    private var utc: String {
        let (seconds, fraction) = CivilTime.floorDivide(microseconds, CivilTime.microsecondsPerSecond)
        let fields = CivilTime.fields(ofSeconds: seconds)
        var text = ""
        CivilTime.appendDigits(fields.year, count: 4, to: &text)
        text += "-"
        CivilTime.appendDigits(fields.month, count: 2, to: &text)
        text += "-"
        CivilTime.appendDigits(fields.day, count: 2, to: &text)
        text += "T" + Self.clockText(fields.secondOfDay) + "."
        CivilTime.appendDigits(fraction / 1_000, count: 3, to: &text)
        return text + "Z"
    }

    /// `hh:mm:ss` of a second of the day.
    private static func clockText(_ secondOfDay: Int64) -> String {
        var text = ""
        CivilTime.appendDigits(secondOfDay / 3_600, count: 2, to: &text)
        text += ":"
        CivilTime.appendDigits(secondOfDay / 60 % 60, count: 2, to: &text)
        text += ":"
        CivilTime.appendDigits(secondOfDay % 60, count: 2, to: &text)
        return text
    }

    /// `T+mm:ss`, or `T+hh:mm:ss` from an hour on (`T-` before the start).
    static func offsetText(_ microseconds: Int64) -> String {
        let totalSeconds = abs(microseconds) / CivilTime.microsecondsPerSecond
        var text = microseconds < 0 ? "T-" : "T+"
        if totalSeconds >= 3_600 {
            CivilTime.appendDigits(totalSeconds / 3_600, count: 2, to: &text)
            text += ":"
        }
        CivilTime.appendDigits(totalSeconds / 60 % 60, count: 2, to: &text)
        text += ":"
        CivilTime.appendDigits(totalSeconds % 60, count: 2, to: &text)
        return text
    }
}

/// A length of time, in milliseconds and as text.
struct Span: Sendable, Hashable {
    /// Milliseconds (never negative).
    var milliseconds: Int64

    /// `850ms`, `12.3s`, `2m 5s`, `1h 2m 5s`.
    var text: String { Self.text(milliseconds) }

    /// The span as the JSON and the templates have it.
    var value: Value { ["ms": .number(Double(milliseconds)), "text": .string(text)] }

    /// `850ms`, `12.3s`, `2m 5s`, `1h 2m 5s`, `3d 4h 5m`.
    static func text(_ milliseconds: Int64) -> String {
        let milliseconds = max(0, milliseconds)
        if milliseconds < 1_000 { return "\(milliseconds)ms" }
        if milliseconds < 60_000 {
            let tenths = milliseconds / 100
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let seconds = milliseconds / 1_000
        let (days, hours, minutes) = (seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60)
        if days > 0 { return "\(days)d \(hours)h \(minutes)m" }
        if hours > 0 { return "\(hours)h \(minutes)m \(seconds % 60)s" }
        return "\(minutes)m \(seconds % 60)s"
    }
}

extension Optional where Wrapped == Moment {
    /// The moment's value, or null.
    var value: Value { map(\.value) ?? .null }
}

extension Optional where Wrapped == Span {
    /// The span's value, or null.
    var value: Value { map(\.value) ?? .null }
}

extension Optional where Wrapped == String {
    /// The string, or null.
    var value: Value { map(Value.string) ?? .null }
}
