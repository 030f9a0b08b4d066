/// Conversions between microseconds since 1970 and calendar fields, without Foundation's formatters (which are far
/// too slow for 100,000 events).
enum CivilTime {
    /// Microseconds in a second.
    static let microsecondsPerSecond: Int64 = 1_000_000

    /// Parses `2026-11-22T10:04:05.123456Z`: any fraction or none, `Z` or a `±HH:MM` offset.
    /// - Returns: Microseconds since 1970, or nil when `text` is not RFC 3339.
    static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes -> Int64? in
            var position = 0
            func number(_ count: Int) -> Int64? {
                guard position + count <= bytes.count else { return nil }
                var value: Int64 = 0
                for _ in 0..<count {
                    let byte = bytes[position]
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                    position += 1
                }
                return value
            }
            func expect(_ characters: String) -> Bool {
                guard position < bytes.count, characters.utf8.contains(bytes[position]) else { return false }
                position += 1
                return true
            }
            guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
                expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
                let second = number(2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
                second < 61
            else { return nil }
            var fraction: Int64 = 0
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                var scale: Int64 = 100_000
                let start = position
                while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                    fraction += Int64(bytes[position] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    position += 1
                }
                guard position > start else { return nil }
            }
            var offset: Int64 = 0
            if expect("Zz") {
                offset = 0
            } else if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                let sign: Int64 = bytes[position] == UInt8(ascii: "-") ? -1 : 1
                position += 1
                guard let hours = number(2), expect(":"), let minutes = number(2) else { return nil }
                offset = sign * (hours * 3_600 + minutes * 60)
            } else {
                return nil
            }
            guard position == bytes.count else { return nil }
            let days = daysSince1970(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
            return seconds * microsecondsPerSecond + fraction
        }
    }

    /// The calendar fields of `seconds` since 1970 (already shifted into the wanted zone).
    static func fields(ofSeconds seconds: Int64) -> (year: Int64, month: Int64, day: Int64, secondOfDay: Int64) {
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let date = civilDate(daysSince1970: days)
        return (date.year, date.month, date.day, secondOfDay)
    }

    /// Quotient and remainder rounded toward negative infinity.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    /// The day number of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day number (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
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

    /// `value` zero-padded to `count` digits, appended to `text`.
    static func appendDigits(_ value: Int64, count: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < count { text += String(repeating: "0", count: count - digits.count) }
        text += digits
    }
}
