/// The type of a runbook input.
public enum InputType: String, Sendable, Hashable, CaseIterable {
    case string, int, number, bool, duration

    /// Converts `value` to this type: text is parsed, numbers and bools keep their kind when they fit.
    public func convert(_ value: Value) -> Result<Value, InputValueError> {
        switch (self, value) {
        case (.string, .string), (.bool, .bool):
            return .success(value)
        case (.string, .number), (.string, .bool):
            return .success(.string(value.stringValue))
        case (.int, .number(let number)) where number.rounded() == number && abs(number) < 9.0e15:
            return .success(value)
        case (.int, .string(let text)):
            if let number = Int(text.trimmingSpaces) { return .success(.number(Double(number))) }
        case (.number, .number):
            return .success(value)
        case (.number, .string(let text)):
            if let number = Double(text.trimmingSpaces), number.isFinite { return .success(.number(number)) }
        case (.bool, .string(let text)):
            switch text.lowercased() {
            case "true", "yes", "1": return .success(.bool(true))
            case "false", "no", "0": return .success(.bool(false))
            default: break
            }
        case (.duration, .string(let text)):
            switch DurationSyntax.parse(text) {
            case .success: return .success(value)
            case .failure(let error): return .failure(InputValueError(input: "", problem: error.description))
            }
        default:
            break
        }
        return .failure(InputValueError(input: "", problem: "'\(value.stringValue)' is not \(article) \(rawValue)"))
    }

    /// Type names from other languages, mapped to ours for "did you mean" suggestions.
    static let commonMisspellings: [String: InputType] = [
        "integer": .int, "boolean": .bool, "float": .number, "double": .number, "str": .string, "text": .string,
    ]

    private var article: String { self == .int ? "an" : "a" }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    public var trimmingSpaces: Substring {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
