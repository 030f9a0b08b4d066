/// A value an expression reads or produces: the JSON data model.
///
/// Numbers are `Double`, as in GitHub Actions and JavaScript, so arithmetic on untrusted input can
/// never trap on overflow.
public enum Value: Sendable, Hashable {
    /// The absence of a value; also what a missing property or index evaluates to.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; integral numbers print without a fraction.
    case number(Double)
    /// A string.
    case string(String)
    /// An ordered list.
    case array([Value])
    /// A map from names to values; printed with its keys sorted.
    case object([String: Value])
}

extension Value {
    /// Whether the value counts as true in `if:`, `!`, `&&` and `||`.
    ///
    /// `null`, `false`, `0`, `NaN` and `''` are false; everything else, including empty arrays and
    /// objects, is true.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .number(let number): number != 0 && !number.isNaN
        case .string(let text): !text.isEmpty
        case .array, .object: true
        }
    }

    /// The value as a number, the way GitHub Actions coerces it.
    ///
    /// Numbers are themselves; `true` is 1 and `false` 0; `null` is 0; a string is its number when it
    /// holds one number literal (surrounding whitespace ignored, e.g. `"3\n"`, `"-1.5"`, `"0x1F"`),
    /// otherwise `nil`, as are arrays and objects. The empty string is not a number.
    public var numericValue: Double? {
        switch self {
        case .null: 0
        case .bool(let flag): flag ? 1 : 0
        case .number(let number): number
        case .string(let text): NumberSyntax.parseNumericString(text)
        case .array, .object: nil
        }
    }

    /// The text a template inserts for this value.
    ///
    /// `null` is empty; booleans are `true`/`false`; integral numbers have no fraction (`4`), others
    /// the shortest text that reads back the same; strings are themselves; arrays and objects are
    /// compact JSON with sorted keys.
    public var stringValue: String {
        switch self {
        case .null: ""
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): NumberSyntax.format(number)
        case .string(let text): text
        case .array, .object: jsonString(pretty: false)
        }
    }

    /// A short name of the value's type, for messages: `null`, `bool`, `number`, `string`, `array`,
    /// `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension Value: CustomStringConvertible {
    /// The value as compact JSON with sorted keys (strings quoted), e.g. `{"a":[1,true]}`.
    public var description: String {
        jsonString(pretty: false)
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Creates `.string(value)`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates `.number(Double(value))`.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// Creates `.number(value)`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// Creates `.bool(value)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates `.array(elements)`.
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    /// Creates `.object` from the pairs; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
