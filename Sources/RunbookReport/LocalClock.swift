/// Formats instants in a ``ReportTimeZone`` and measures them from the incident's start: the moments of a timeline.
///
/// Zone offsets are looked up once per minute of time seen (they only change at transitions), so formatting 100,000
/// events stays cheap.
struct LocalClock {
    /// The zone times are shown in.
    let zone: ReportTimeZone
    /// The incident's start, in microseconds since 1970: `T+00:00`.
    let origin: Int64
    /// Offsets already looked up, by minute since 1970.
    private var offsets: [Int64: Int] = [:]

    /// A clock for `zone` measuring from `origin`.
    init(zone: ReportTimeZone, origin: Int64) {
        self.zone = zone
        self.origin = origin
    }

    /// The moment `microseconds` since 1970, as the timeline shows it.
    mutating func moment(_ microseconds: Int64) -> Moment {
        let seconds = CivilTime.floorDivide(microseconds, CivilTime.microsecondsPerSecond).0
        let minute = CivilTime.floorDivide(seconds, 60).0
        let offset: Int
        if let known = offsets[minute] {
            offset = known
        } else {
            offset = zone.offset(atSeconds: seconds)
            offsets[minute] = offset
        }
        let local = CivilTime.fields(ofSeconds: seconds + Int64(offset))
        var date = ""
        CivilTime.appendDigits(local.year, count: 4, to: &date)
        date += "-"
        CivilTime.appendDigits(local.month, count: 2, to: &date)
        date += "-"
        CivilTime.appendDigits(local.day, count: 2, to: &date)
        var clock = ""
        CivilTime.appendDigits(local.secondOfDay / 3_600, count: 2, to: &clock)
        clock += ":"
        CivilTime.appendDigits(local.secondOfDay / 60 % 60, count: 2, to: &clock)
        clock += ":"
        CivilTime.appendDigits(local.secondOfDay % 60, count: 2, to: &clock)
        let zoneText = zone.isUTC ? "UTC" : ReportTimeZone.offsetText(offset)
        let elapsed = microseconds - origin
        return Moment(
            utc: Self.utcText(microseconds), local: date + " " + clock + " " + zoneText, date: date, clock: clock,
            offset: Self.offsetText(elapsed), offsetMilliseconds: CivilTime.floorDivide(elapsed, 1_000).0)
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

    /// `2026-11-23T09:24:30.396Z`: RFC 3339 UTC with milliseconds.
    static func utcText(_ microseconds: Int64) -> String {
        let (seconds, fraction) = CivilTime.floorDivide(microseconds, CivilTime.microsecondsPerSecond)
        let fields = CivilTime.fields(ofSeconds: seconds)
        var text = ""
        CivilTime.appendDigits(fields.year, count: 4, to: &text)
        text += "-"
        CivilTime.appendDigits(fields.month, count: 2, to: &text)
        text += "-"
        CivilTime.appendDigits(fields.day, count: 2, to: &text)
        text += "T"
        CivilTime.appendDigits(fields.secondOfDay / 3_600, count: 2, to: &text)
        text += ":"
        CivilTime.appendDigits(fields.secondOfDay / 60 % 60, count: 2, to: &text)
        text += ":"
        CivilTime.appendDigits(fields.secondOfDay % 60, count: 2, to: &text)
        text += "."
        CivilTime.appendDigits(fraction / 1_000, count: 3, to: &text)
        return text + "Z"
    }
}
