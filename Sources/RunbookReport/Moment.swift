import RunbookLanguage

/// A point in a timeline: its absolute time, in UTC and in the report's zone, and its offset from the incident's
/// start.
struct Moment: Sendable, Hashable {
    /// RFC 3339 UTC with milliseconds: `2026-11-23T09:24:30.396Z`.
    var utc: String
    /// The date, time and zone in the report's zone: `2026-11-23 14:54:30 +05:30`, `… 09:24:30 UTC`.
    var local: String
    /// The date in the report's zone: `2026-11-23`.
    var date: String
    /// The time of day in the report's zone: `14:54:30`.
    var clock: String
    /// The offset from the incident's start: `T+03:12`, `T+01:02:03` past an hour.
    var offset: String
    /// The offset in milliseconds.
    var offsetMilliseconds: Int64

    /// The moment as the JSON and the templates have it.
    var value: Value {
        [
            "utc": .string(utc), "local": .string(local), "date": .string(date), "clock": .string(clock),
            "offset": .string(offset), "offset_ms": .number(Double(offsetMilliseconds)),
        ]
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
