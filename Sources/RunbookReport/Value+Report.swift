import RunbookLanguage

extension Value {
    /// The text of a string member; nil when it is missing, null or not a string.
    func text(_ key: String) -> String? {
        if case .string(let text) = member(key) { return text }
        return nil
    }

    /// A numeric member; nil when it is missing or not a number.
    func number(_ key: String) -> Double? {
        if case .number(let number) = member(key) { return number }
        return nil
    }

    /// A boolean member; nil when it is missing or not a boolean.
    func flag(_ key: String) -> Bool? {
        if case .bool(let flag) = member(key) { return flag }
        return nil
    }

    /// A member's value as one line of text: strings as they are, other values as compact JSON.
    func plainText(_ key: String) -> String? {
        switch member(key) {
        case .null: nil
        case .string(let text): text
        case let other: other.stringValue
        }
    }

    /// The members of an object member as `name`/`value` pairs sorted by name (empty for anything else).
    func pairs(_ key: String) -> [(name: String, value: String)] {
        guard case .object(let members) = member(key) else { return [] }
        return members.keys.sorted().map { ($0, members[$0]?.stringValue ?? "") }
    }
}
