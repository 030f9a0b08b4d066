import Foundation
import RunbookLanguage
import Testing

/// RFC 3339 parsing shared by `--since`, the audit log and alert receivers.
@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-11-22T10:04:05Z", 1_795_341_845.0),
        ("2026-11-22T10:04:05.5Z", 1_795_341_845.5),
        ("2026-11-22T10:04:05.123456789Z", 1_795_341_845.123456789),
        ("2017-08-03T15:17:37.804-04:00", 1_501_787_857.804),
        ("2018-03-07T06:33:21.873077559-05:00", 1_520_422_401.873077559),
        ("2019-02-15T23:53:45.093+0000", 1_550_274_825.093),
        ("2024-03-01T07:39:00+05:30", 1_709_258_940.0),
        ("2024-02-29t02:09:00z", 1_709_172_540.0),
        ("0001-01-01T00:00:00Z", -62_135_596_800.0),
        ("1969-12-31T23:59:59.9Z", -0.1),
    ])
    func parsesRFC3339(_ text: String, _ seconds: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6, "\(date.timeIntervalSince1970)")
    }

    @Test(arguments: [
        "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-03-01T24:00:00Z",
        "2024-03-01T02:60:00Z", "2024-03-01T02:09:00", "2024-03-01T02:09:00.Z", "2024-03-01T02:09:00.1234567891Z",
        "2024-03-01T02:09:00Zjunk", "2024-03-01 02:09:00Z", "2024-03-01", "2024-03-01T02:09:00+5:30",
        "2024-03-01T02:09:00+24:00", "", "garbage", "0000-01-01T00:00:00+01:00",
    ])
    func refusesWhatIsNotRFC3339(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("UTCTime agrees with gmtime_r from year 1 to 9999, across leap days and before 1970")
    func utcTimeAgreesWithGmtime() {
        var seconds: Int64 = -62_135_596_800
        var checked = 0
        while seconds < 253_402_300_800 {
            var value = time_t(seconds)
            var parts = tm()
            gmtime_r(&value, &parts)
            let time = UTCTime(secondsSince1970: seconds)
            let computed: [Int] = [time.year, time.month, time.day, time.hour, time.minute, time.second]
            let expected: [Int32] = [
                parts.tm_year + 1_900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
            ]
            if computed != expected.map(Int.init) {
                Issue.record("\(seconds): \(computed) but gmtime_r says \(expected)")
            }
            seconds += 86_399 * 17 + 3_607
            checked += 1
        }
        #expect(checked > 200_000)
        #expect(UTCTime.padded(7, 3) == "007" && UTCTime.padded(12_345, 4) == "12345")
    }

    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_520_422_401.873077559)) == "2018-03-07T11:33:21.873Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_709_258_939.9996)) == "2024-03-01T02:09:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_799.999)) == "9999-12-31T23:59:59.999Z")
    }

    @Test("a timestamp read from text with milliseconds prints as that text", arguments: [
        "2026-11-22T10:04:05.123Z", "2024-02-29T23:59:59.999Z", "2001-09-09T01:46:40.001Z", "0001-01-01T00:00:00.000Z",
    ])
    func formatsWhatItParsed(_ text: String) throws {
        #expect(Timestamp.format(try #require(Timestamp.parse(text))) == text)
    }
}
