import RunbookLanguage

/// Turns given input values into a run's typed inputs: unknown names, bad values (one holding a NUL byte, which no
/// environment variable or argument can carry, included) and missing required inputs are refused before anything
/// runs, whether the values came from the command line or from an alert.
public struct InputBinder: Sendable {
    /// The runbook whose inputs are bound.
    public let runbook: Runbook

    /// Creates a binder for `runbook`.
    public init(runbook: Runbook) { self.runbook = runbook }

    /// Parses `key=value` pairs as written after `-i`.
    public func parse(pairs: [String]) throws(InputBindingError) -> [String: String] {
        var values: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw InputBindingError("'-i \(pair)' is not key=value", hint: "write -i name=value")
            }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return values
    }

    /// The inputs of a run: each given text converted and checked, defaults filled in, required ones present.
    /// Inputs with neither a value nor a default are `null`.
    public func bind(_ given: [String: String]) throws(InputBindingError) -> [String: Value] {
        var values: [String: Value] = [:]
        for name in given.keys.sorted() where runbook.input(name) == nil {
            let names = runbook.inputs.map(\.name)
            throw InputBindingError(
                "runbook '\(runbook.name)' has no input '\(name)'" + NearestName.didYouMean(name, among: names),
                hint: names.isEmpty ? "it takes no inputs" : "its inputs are " + names.joined(separator: ", "))
        }
        for input in runbook.inputs {
            if let text = given[input.name] {
                if text.utf8.contains(0) {
                    throw InputBindingError(
                        "input '\(input.name)': the value holds a NUL byte, which no command can be given",
                        hint: "send the value without NUL bytes")
                }
                switch input.accept(text: text) {
                case .success(let value): values[input.name] = value
                case .failure(let error): throw InputBindingError(error.description)
                }
            } else if let value = input.defaultValue {
                values[input.name] = value
            } else if input.required {
                throw InputBindingError("input '\(input.name)' is required",
                                        hint: "pass it with -i \(input.name)=VALUE")
            } else {
                values[input.name] = .null
            }
        }
        return values
    }

    /// The values of the runbook's secret inputs, for redaction.
    public func secrets(in values: [String: Value]) -> [String] {
        runbook.inputs.filter(\.secret).compactMap { input in
            guard let value = values[input.name], value != .null else { return nil }
            return value.stringValue
        }
    }
}

/// Input values that cannot start a run.
public struct InputBindingError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// Creates an error.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    /// The message.
    public var description: String { message }
}
