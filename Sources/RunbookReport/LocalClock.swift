/// Places instants in a ``ReportTimeZone`` and measures them from the incident's start: the moments of a timeline.
///
/// Zone offsets are looked up once per minute of time seen (they only change at transitions), so placing 100,000
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

    /// The moment `microseconds` since 1970.
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
        return Moment(microseconds: microseconds, zoneOffset: offset, origin: origin, isUTC: zone.isUTC)
    }
}
