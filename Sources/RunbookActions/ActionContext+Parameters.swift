import RunbookLanguage

extension ActionContext {
    /// The parameter `name` as text, or a failure naming the action and the parameter when it is missing.
    func requiredString(_ name: String, action: String) throws(ActionFailure) -> String {
        guard let text = string(name) else {
            throw ActionFailure("\(action): the parameter '\(name)' is missing")
        }
        return text
    }

    /// The parameter `name` as a map of names to text (headers, environment variables); empty when not given.
    func stringMap(_ name: String, action: String) throws(ActionFailure) -> [String: String] {
        switch parameters[name] {
        case nil, .null?:
            return [:]
        case .object(let entries)?:
            return entries.compactMapValues { value in
                if case .null = value { return nil }
                return value.stringValue
            }
        case let value?:
            throw ActionFailure("\(action): '\(name)' must be a mapping of names to strings, not \(value.typeName)")
        }
    }
}
