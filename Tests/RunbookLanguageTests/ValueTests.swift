import Foundation
import Testing

@testable import RunbookLanguage

@Suite("Value")
struct ValueTests {
    @Test(
        "truthiness follows GitHub Actions",
        arguments: [
            (Value.null, false), (.bool(false), false), (.bool(true), true), (.number(0), false),
            (.number(-0.0), false),
            (.number(.nan), false), (.number(2), true), (.number(-1), true), (.string(""), false), (.string("0"), true),
            (.string("false"), true), (.array([]), true), (.object([:]), true),
        ])
    func truthiness(value: Value, expected: Bool) {
        #expect(value.isTruthy == expected)
    }

    @Test("numericValue coerces numbers, numeric strings, booleans and null")
    func numericValue() {
        #expect(Value.number(4.5).numericValue == 4.5)
        #expect(Value.string("3").numericValue == 3)
        #expect(Value.string(" 3\n").numericValue == 3)
        #expect(Value.string("-1.5e2").numericValue == -150)
        #expect(Value.string("+7").numericValue == 7)
        #expect(Value.string("0x1F").numericValue == 31)
        #expect(Value.bool(true).numericValue == 1)
        #expect(Value.bool(false).numericValue == 0)
        #expect(Value.null.numericValue == 0)
        #expect(Value.string("").numericValue == nil)
        #expect(Value.string("   ").numericValue == nil)
        #expect(Value.string("abc").numericValue == nil)
        #expect(Value.string("3abc").numericValue == nil)
        #expect(Value.string("nan").numericValue == nil)
        #expect(Value.string("inf").numericValue == nil)
        #expect(Value.string("1e999").numericValue == nil)
        #expect(Value.string("+-1").numericValue == nil)
        #expect(Value.string("1.").numericValue == nil)
        #expect(Value.array([]).numericValue == nil)
        #expect(Value.object([:]).numericValue == nil)
    }

    @Test("stringValue is the template text of a value")
    func stringValue() {
        #expect(Value.null.stringValue == "")
        #expect(Value.bool(true).stringValue == "true")
        #expect(Value.bool(false).stringValue == "false")
        #expect(Value.number(4).stringValue == "4")
        #expect(Value.number(-12).stringValue == "-12")
        #expect(Value.number(-0.0).stringValue == "0")
        #expect(Value.number(0.5).stringValue == "0.5")
        #expect(Value.number(0.1 + 0.2).stringValue == "0.30000000000000004")
        #expect(Value.number(1e-7).stringValue == "1e-07")
        #expect(Value.number(1_700_000_000_000).stringValue == "1700000000000")
        #expect(Value.number(1e20).stringValue == "1e+20")
        #expect(Value.number(.nan).stringValue == "NaN")
        #expect(Value.number(-.infinity).stringValue == "-Infinity")
        #expect(Value.string("it's").stringValue == "it's")
        #expect(Value.array([1, "a", .null]).stringValue == #"[1,"a",null]"#)
        #expect(Value.object(["b": 1, "a": [true]]).stringValue == #"{"a":[true],"b":1}"#)
    }

    @Test("jsonString sorts keys, escapes strings and pretty-prints with two spaces")
    func jsonString() {
        let value: Value = ["z": [1, 2.5], "a": ["nested": "x\"y\\\n\u{01}"], "e": [], "o": [:], "n": .null]
        #expect(
            value.jsonString(pretty: false) == #"{"a":{"nested":"x\"y\\\n\u0001"},"e":[],"n":null,"o":{},"z":[1,2.5]}"#)
        let pretty = """
            {
              "a": {
                "nested": "x\\"y\\\\\\n\\u0001"
              },
              "e": [],
              "n": null,
              "o": {},
              "z": [
                1,
                2.5
              ]
            }
            """
        #expect(value.jsonString(pretty: true) == pretty)
        #expect(Value.number(.infinity).jsonString(pretty: false) == "null")
        #expect(Value.string("é😀").jsonString(pretty: false) == "\"é😀\"")
        #expect(value.description == value.jsonString(pretty: false))
    }

    @Test("init(jsonString:) keeps booleans as booleans and accepts top-level scalars")
    func decodeJSON() throws {
        #expect(try Value(jsonString: "true") == .bool(true))
        #expect(try Value(jsonString: "1") == .number(1))
        #expect(try Value(jsonString: "0") == .number(0))
        #expect(try Value(jsonString: "\"x\"") == .string("x"))
        #expect(try Value(jsonString: "null") == .null)
        #expect(
            try Value(jsonString: #"{"a":[1,false,null,"s",{"b":0.5}]}"#)
                == ["a": [1, false, .null, "s", ["b": 0.5]]])
        #expect(throws: (any Error).self) { try Value(jsonString: "{x") }
        #expect(throws: (any Error).self) { try Value(jsonString: "") }
    }

    @Test("numbers read from JSON are the doubles their text names, however many digits it has", arguments: [
        "0.30000000000000004", "1.7976931348623157e308", "5e-324", "123456789012345678901234", "-0.1", "1e-7",
        "9007199254740993", "0.1", "42",
    ])
    func decodeNumbers(_ text: String) throws {
        #expect(try Value(jsonString: text) == .number(try #require(Double(text))))
        #expect(try Value(jsonString: "[\(text)]") == .array([.number(try #require(Double(text)))]))
    }

    @Test("Codable round trip through JSONEncoder and JSONDecoder")
    func codableRoundTrip() throws {
        let value: Value = ["flag": true, "count": 3, "ratio": 0.25, "name": "x", "list": [false, .null, 1], "o": [:]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(Value.self, from: data) == value)
        #expect(try Value(jsonString: value.jsonString(pretty: true)) == value)
    }

    @Test("member and element never fail")
    func access() {
        let object: Value = ["a": 1, "b-c": "dash", "1": "one"]
        let array: Value = ["x", "y"]
        #expect(object.member("a") == 1)
        #expect(object.member("missing") == .null)
        #expect(object.member("A") == .null)
        #expect(array.member("a") == .null)
        #expect(Value.null.member("a") == .null)
        #expect(Value.string("abc").member("length") == .null)
        #expect(object.element("b-c") == "dash")
        #expect(object.element(1) == "one")
        #expect(object.element(.null) == .null)
        #expect(array.element(0) == "x")
        #expect(array.element(1) == "y")
        #expect(array.element("1") == "y")
        #expect(array.element(2) == .null)
        #expect(array.element(-1) == .null)
        #expect(array.element(0.5) == .null)
        #expect(array.element(.number(.nan)) == .null)
        #expect(array.element(.number(.infinity)) == .null)
        #expect(array.element(1e300) == .null)
        #expect(array.element(true) == .null)
        #expect(array.element("x") == .null)
        #expect(Value.string("abc").element(0) == .null)
        #expect(Value.null.element(0) == .null)
    }

    @Test("typeName names each case")
    func typeNames() {
        #expect(
            [Value.null, true, 1, "s", [], [:]].map(\.typeName) == [
                "null", "bool", "number", "string", "array", "object",
            ])
    }
}
