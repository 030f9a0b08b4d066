extension Value {
    /// How two values order against each other.
    enum Ordering {
        case less, equal, greater
    }

    /// The expression language's `==`.
    ///
    /// Values of the same type compare exactly (strings case-sensitively, arrays and objects
    /// structurally); `null` equals only `null`; a number, a string and a boolean of different types
    /// compare as numbers when both convert (`'3' == 3`, `true == 1`), and are unequal otherwise.
    func looselyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.bool(let left), .bool(let right)): return left == right
        case (.number(let left), .number(let right)): return left == right
        case (.string(let left), .string(let right)): return left.utf8.elementsEqual(right.utf8)
        case (.array, .array), (.object, .object): return self == other
        case (.array, _), (_, .array), (.object, _), (_, .object): return false
        default:
            guard let left = comparableNumber, let right = other.comparableNumber else { return false }
            return left == right
        }
    }

    /// How `self` orders against `other` for `<`, `<=`, `>`, `>=`, or `nil` when they do not order.
    ///
    /// Two strings order by their Unicode scalars (case-sensitive); otherwise numbers, booleans and
    /// numeric strings order as numbers. `null`, arrays, objects, non-numeric strings against
    /// numbers, and `NaN` do not order, so every ordering comparison with them is false.
    func ordering(comparedTo other: Value) -> Ordering? {
        if case .string(let left) = self, case .string(let right) = other {
            return Self.ordering(ofText: left, right)
        }
        guard let left = comparableNumber, let right = other.comparableNumber else { return nil }
        if left < right { return .less }
        if left > right { return .greater }
        if left == right { return .equal }
        return nil
    }

    /// The number this value stands for in a comparison; `nil` for null, arrays, objects and
    /// strings that are not numbers.
    private var comparableNumber: Double? {
        switch self {
        case .null, .array, .object: nil
        case .bool, .number, .string: numericValue
        }
    }

    /// Orders two strings by their UTF-8 bytes, which is the order of their Unicode scalars.
    private static func ordering(ofText left: String, _ right: String) -> Ordering {
        var leftBytes = left.utf8.makeIterator()
        var rightBytes = right.utf8.makeIterator()
        while true {
            switch (leftBytes.next(), rightBytes.next()) {
            case (nil, nil): return .equal
            case (nil, _): return .less
            case (_, nil): return .greater
            case (let leftByte?, let rightByte?):
                if leftByte < rightByte { return .less }
                if leftByte > rightByte { return .greater }
            }
        }
    }
}
