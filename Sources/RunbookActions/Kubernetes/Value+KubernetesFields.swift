import RunbookLanguage

extension Value {
    /// A scalar as text (YAML may read `namespace: 123` as a number); nil for null, lists and mappings.
    var text: String? {
        switch self {
        case .string, .number, .bool: stringValue
        case .null, .array, .object: nil
        }
    }

    /// A whole number (or a numeric string, as annotations hold them); nil for anything else, null included.
    var integer: Int? {
        switch self {
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: Int(number)
        case .string(let text): Int(text)
        default: nil
        }
    }
}
