import Foundation
import Synchronization

/// The time stamped on events: RFC 3339 UTC with microseconds, never going backwards within the process.
final class AuditClock: Sendable {
    /// The clock every store in the process shares, so events stay in time order across stores.
    static let shared = AuditClock()

    /// The last time handed out, in microseconds since 1970.
    private let lastMicroseconds = Mutex<Int64>(0)
    /// Reads the wall clock in microseconds since 1970.
    private let wallClock: @Sendable () -> Int64

    /// Creates a clock reading `wallClock` (the system clock unless a test gives one).
    init(wallClock: @escaping @Sendable () -> Int64 = AuditClock.systemMicroseconds) {
        self.wallClock = wallClock
    }

    /// The next timestamp: the current time, or the last one handed out when the wall clock stepped back, and never
    /// earlier than `floor` (the timestamp of the log's head, possibly written by another process).
    func next(notBefore floor: String? = nil) -> String {
        let now = wallClock()
        let microseconds = lastMicroseconds.withLock { last in
            last = max(last, now)
            return last
        }
        let text = Self.format(microseconds: microseconds)
        if let floor, floor > text { return floor }
        return text
    }

    /// The system clock in microseconds since 1970.
    @Sendable static func systemMicroseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// `microseconds` since 1970 as `2026-11-22T10:04:05.123456Z` (fixed width, so text order is time order).
    static func format(microseconds: Int64) -> String {
        let (seconds, fraction) = floorDivide(microseconds, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        appendDigits(year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3_600, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(fraction, count: 6, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Quotient and remainder rounded toward negative infinity.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    /// The proleptic Gregorian date of a day number (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Appends `value` zero-padded to `count` digits.
    private static func appendDigits(_ value: Int64, count: Int, to bytes: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }
}
