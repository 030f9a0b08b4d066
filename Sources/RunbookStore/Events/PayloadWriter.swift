import RunbookLanguage

/// Builds an event's data object; a nil value leaves its field out.
struct PayloadWriter {
    private(set) var fields: [String: Value] = [:]

    mutating func set(_ key: String, _ value: String?) {
        if let value { fields[key] = .string(value) }
    }

    mutating func set(_ key: String, _ value: Int64?) {
        if let value { fields[key] = .number(Double(value)) }
    }

    mutating func set(_ key: String, _ value: Bool?) {
        if let value { fields[key] = .bool(value) }
    }

    mutating func set(_ key: String, _ value: Value?) {
        if let value { fields[key] = value }
    }

    mutating func set(_ key: String, _ value: [String: Value]?) {
        if let value { fields[key] = .object(value) }
    }

    mutating func set(_ key: String, _ value: [String]?) {
        if let value { fields[key] = .array(value.map(Value.string)) }
    }

    var data: Value { .object(fields) }
}
