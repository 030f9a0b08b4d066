import RunbookLanguage

/// Reads an event's data object field by field, leniently: a missing field, or one of another JSON type, is nil.
struct PayloadReader {
    let data: Value

    func string(_ key: String) -> String? {
        if case .string(let text) = data.member(key) { return text }
        return nil
    }

    func number(_ key: String) -> Double? {
        if case .number(let number) = data.member(key) { return number }
        return nil
    }

    func integer(_ key: String) -> Int64? {
        number(key).flatMap { $0.isFinite ? Int64(exactly: $0.rounded(.towardZero)) : nil }
    }

    func bool(_ key: String) -> Bool? {
        if case .bool(let flag) = data.member(key) { return flag }
        return nil
    }

    /// The field as it is stored, nil when it is missing (a stored `null` is `.null`).
    func value(_ key: String) -> Value? {
        guard case .object(let fields) = data else { return nil }
        return fields[key]
    }

    func object(_ key: String) -> [String: Value]? {
        if case .object(let fields) = data.member(key) { return fields }
        return nil
    }

    func strings(_ key: String) -> [String]? {
        guard case .array(let items) = data.member(key) else { return nil }
        return items.compactMap { item in
            if case .string(let text) = item { return text }
            return nil
        }
    }
}
