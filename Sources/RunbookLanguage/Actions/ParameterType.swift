/// The kinds of value an action parameter takes.
public enum ParameterType: Sendable, Hashable {
    case string
    case int
    case bool
    case duration
    /// A list of strings; a single string is accepted as a one-item list.
    case stringList
    /// A mapping of names to strings (headers, environment variables).
    case stringMap
    /// An HTTP status or a list of them.
    case statusCodes
    /// A change of the current count: `+2`, `-1`, or a plain number that is added (YAML reads `+2` as `2`).
    case signedCount
    /// One of a fixed set of words.
    case oneOf([String])

    /// How the type is described in errors and docs.
    public var phrase: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .bool: "true or false"
        case .duration: "a duration such as '90s' or '15m'"
        case .stringList: "a list of strings"
        case .stringMap: "a mapping of names to strings"
        case .statusCodes: "an HTTP status or a list of them"
        case .signedCount: "a change of the current count such as '+2' or '-1' (a plain number is added)"
        case .oneOf(let words): "one of " + words.map { "'\($0)'" }.joined(separator: ", ")
        }
    }

    /// Why a literal value does not fit the type, or nil when it fits.
    public func problem(with value: Value) -> String? {
        switch (self, value) {
        case (.string, .string), (.string, .number), (.bool, .bool), (.stringMap, .object):
            return nil
        case (.int, .number(let number)) where number.rounded() == number:
            return nil
        case (.int, .string(let text)) where Int(text) != nil:
            return nil
        case (.duration, .string(let text)):
            if case .failure(let error) = DurationSyntax.parse(text) { return error.description }
            return nil
        case (.stringList, .string):
            return nil
        case (.stringList, .array(let items)) where items.allSatisfy({ if case .string = $0 { true } else { false } }):
            return nil
        case (.statusCodes, .number(let number)) where Self.isStatus(number):
            return nil
        case (.statusCodes, .array(let items)) where !items.isEmpty:
            guard let bad = items.first(where: { if case .number(let number) = $0 { !Self.isStatus(number) } else { true } })
            else { return nil }
            return "must list HTTP statuses (100 to 599), and \(bad.typeDescription) is not one"
        case (.signedCount, .number(let number)) where number.rounded() == number:
            return nil
        case (.signedCount, .string(let text)) where Self.isSignedCount(text):
            return nil
        case (.oneOf(let words), .string(let text)):
            if words.contains(text) { return nil }
            return "must be \(phrase), not '\(text)'" + NearestName.didYouMean(text, among: words)
        default:
            break
        }
        return "must be \(phrase), not \(value.typeDescription)"
    }

    private static func isStatus(_ number: Double) -> Bool {
        number.rounded() == number && number >= 100 && number <= 599
    }

    private static func isSignedCount(_ text: String) -> Bool {
        guard let sign = text.first, sign == "+" || sign == "-" else { return false }
        return Int(text.dropFirst()) != nil
    }
}

extension Value {
    /// The value as an error message names it: `'abc'`, `42`, `a list`, `a mapping`, `null`.
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number: stringValue
        case .string(let text): "'\(text)'"
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}
