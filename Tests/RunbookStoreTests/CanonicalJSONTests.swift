import RunbookLanguage
import Synchronization
import Testing

@testable import RunbookStore

@Suite("Canonical JSON and the hashed line")
struct CanonicalJSONTests {
    @Test(
        "keys are sorted by their bytes, with no whitespace",
        arguments: [
            (["b": 1, "a": [2, 3], "B": "x"] as Value, #"{"B":"x","a":[2,3],"b":1}"#),
            (["é": 1, "z": 2, "": 3] as Value, #"{"":3,"z":2,"é":1}"#),
            ([:] as Value, "{}"),
            ([] as Value, "[]"),
            (Value.null, "null"),
            (true as Value, "true"),
        ])
    func structure(value: Value, expected: String) {
        #expect(CanonicalJSON.string(value) == expected)
    }

    @Test(
        "strings escape quotes, backslashes and control characters only",
        arguments: [
            ("plain", #""plain""#),
            ("a\"b\\c", #""a\"b\\c""#),
            ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
            ("\u{00}\u{01}\u{1F}\u{7F}", #""\u0000\u0001\u001f\#u{7F}""#),
            ("ü 🚀 /", #""ü 🚀 /""#),
            ("\u{2028}", "\"\u{2028}\""),
        ])
    func strings(text: String, expected: String) {
        #expect(CanonicalJSON.string(.string(text)) == expected)
    }

    @Test(
        "numbers: integers without a fraction below 2^53, others shortest round trip, non-finite as null",
        arguments: [
            (0.0, "0"), (-0.0, "0"), (42, "42"), (-7, "-7"), (1.5, "1.5"), (0.1, "0.1"),
            (9_007_199_254_740_991, "9007199254740991"), (9_007_199_254_740_992, "9007199254740992.0"), (1e16, "1e+16"),
            (1e300, "1e+300"), (1e-7, "1e-07"), (.nan, "null"), (.infinity, "null"), (-.infinity, "null"),
        ])
    func numbers(number: Double, expected: String) {
        #expect(CanonicalJSON.string(.number(number)) == expected)
    }

    @Test("canonical JSON reads back as the same value")
    func readsBack() throws {
        let value: Value = ["a": [1, 2.5, -1e-9, "x\u{1}y"], "b": ["c": .null, "d": false], "e": "🚀"]
        #expect(try Value(jsonString: CanonicalJSON.string(value)) == value)
    }

    @Test("a record's line and hash match a reference computed independently (Python hashlib)")
    func goldenRecord() {
        let draft = EventDraft(
            run: "r-20261122-100400-7f3a", incident: "inc-1", type: "gate.approved", step: "restart",
            actor: .user("alice"),
            data: ["comment": "OOM \"confirmed\"\n\u{1}", "count": 3, "ratio": 0.25, "z": [true, .null]])
        let line = AuditLine(
            seq: 7, timestamp: "2026-11-22T10:04:05.123456Z", draft: draft, prev: AuditLine.genesisHash)
        let hash = "ce46f08ad7f8324ac36d48728805e3f54053d11a6fa813788c23fa4b9cea8961"
        #expect(line.hash == hash)
        #expect(
            line.text
                == #"{"seq":7,"ts":"2026-11-22T10:04:05.123456Z","run":"r-20261122-100400-7f3a","incident":"inc-1","#
                + #""type":"gate.approved","step":"restart","actor":{"kind":"user","id":"alice"},"#
                + #""data":{"comment":"OOM \"confirmed\"\n\u0001","count":3,"ratio":0.25,"z":[true,null]},"#
                + #""prev":"\#(AuditLine.genesisHash)","hash":"\#(hash)"}"#)
        #expect(line.bytes.withUnsafeBufferPointer { ChainVerifier.hashMatches(line: $0) })
    }

    @Test(
        "timestamps format as fixed-width RFC 3339 UTC with microseconds",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000000Z"),
            (1_795_341_845_123_456, "2026-11-22T10:04:05.123456Z"),
            (951_782_400_000_001, "2000-02-29T00:00:00.000001Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
        ])
    func timestampFormat(microseconds: Int64, expected: String) {
        #expect(AuditClock.format(microseconds: microseconds) == expected)
    }

    @Test("the clock never goes backwards, and not before the log's newest timestamp")
    func clockIsMonotonic() {
        let readings = [Int64(2_000_000), 1_000_000, 3_000_000]
        let index = Mutex(0)
        let clock = AuditClock {
            index.withLock { index in
                defer { index += 1 }
                return readings[index]
            }
        }
        #expect(clock.next() == "1970-01-01T00:00:02.000000Z")
        #expect(clock.next() == "1970-01-01T00:00:02.000000Z")
        #expect(clock.next(notBefore: "2030-01-01T00:00:00.000000Z") == "2030-01-01T00:00:00.000000Z")
    }
}
