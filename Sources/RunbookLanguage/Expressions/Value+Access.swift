extension Value {
    /// The property `name` of an object, or `null` when it is missing or this is not an object.
    /// - Parameter name: The property name, matched case-sensitively.
    /// - Returns: The property's value, or `.null`.
    public func member(_ name: String) -> Value {
        guard case .object(let members) = self else { return .null }
        return members[name] ?? .null
    }

    /// The element `a[index]`, or `null` when there is none.
    ///
    /// An array takes an integral number (or numeric string) within bounds; an object takes a
    /// property name (numbers are converted to text, so `o[1]` reads the key `"1"`). Anything else,
    /// including negative, fractional and out-of-range indexes, gives `null`.
    /// - Parameter index: The index or property name.
    /// - Returns: The element's value, or `.null`.
    public func element(_ index: Value) -> Value {
        switch self {
        case .array(let elements):
            guard let number = Self.arrayIndex(index), number >= 0, number < Double(elements.count) else {
                return .null
            }
            return elements[Int(number)]
        case .object(let members):
            switch index {
            case .string(let name): return members[name] ?? .null
            case .number, .bool: return members[index.stringValue] ?? .null
            case .null, .array, .object: return .null
            }
        case .null, .bool, .number, .string:
            return .null
        }
    }

    /// The integral number an array index denotes, or `nil`.
    private static func arrayIndex(_ index: Value) -> Double? {
        let number: Double?
        switch index {
        case .number(let value): number = value
        case .string: number = index.numericValue
        case .null, .bool, .array, .object: number = nil
        }
        guard let number, number.isFinite, number.rounded(.towardZero) == number else { return nil }
        return number
    }
}
