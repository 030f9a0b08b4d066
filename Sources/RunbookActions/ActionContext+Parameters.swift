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

    /// The parameter `name` as a whole number (a number, or text holding one), `fallback` when it is not given.
    /// - Throws: `ActionFailure` when it is no whole number, or lies outside `range`.
    func integer(
        _ name: String, action: String, default fallback: Int? = nil, in range: ClosedRange<Int> = 0...Int(Int32.max)
    ) throws(ActionFailure) -> Int? {
        guard let value = parameters[name], value != .null else { return fallback }
        guard let number = value.numericValue, number.rounded() == number, let whole = Int(exactly: number),
            range.contains(whole)
        else {
            throw ActionFailure(
                "\(action): '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), "
                    + "not '\(value.stringValue)'")
        }
        return whole
    }

    /// The parameter `name` as a finite number (a number, or text holding one); nil when it is not given.
    /// - Throws: `ActionFailure` when it is no number.
    func number(_ name: String, action: String) throws(ActionFailure) -> Double? {
        guard let value = parameters[name], value != .null else { return nil }
        guard let number = value.numericValue, number.isFinite, value != .bool(true), value != .bool(false) else {
            throw ActionFailure("\(action): '\(name)' must be a number, not '\(value.stringValue)'")
        }
        return number
    }

    /// The parameter `name` as a duration: text such as `15m` or `1h30m`, or a number of seconds; `fallback` when it
    /// is not given.
    /// - Throws: `ActionFailure` when it is no duration.
    func duration(
        _ name: String, action: String, default fallback: Duration? = nil
    ) throws(ActionFailure) -> Duration? {
        switch parameters[name] {
        case nil, .null?:
            return fallback
        case .number(let seconds)? where seconds >= 0 && seconds.isFinite:
            return .milliseconds(Int64((seconds * 1000).rounded()))
        case let value?:
            switch DurationSyntax.parse(value.stringValue) {
            case .success(let parsed): return parsed
            case .failure(let error): throw ActionFailure("\(action): \(error)")
            }
        }
    }

    /// The parameter `name` as a list of strings (one string is a one-item list); empty when not given.
    func stringList(_ name: String, action: String) throws(ActionFailure) -> [String] {
        switch parameters[name] {
        case nil, .null?:
            return []
        case .array(let items)?:
            return items.map(\.stringValue)
        case .object?:
            throw ActionFailure("\(action): '\(name)' must be a list of strings, not a mapping")
        case let value?:
            return [value.stringValue]
        }
    }
}
