/// One declared input of a runbook, with the checks a value must pass before a run starts.
public struct InputSpec: Sendable, Hashable {
    /// The input's name, as read by `${{ inputs.NAME }}`.
    public var name: String
    /// The value's type.
    public var type: InputType
    /// The value used when none is given.
    public var defaultValue: Value?
    /// Whether a value must be given (a default satisfies it).
    public var required: Bool
    /// What the input means, for `show` and `--help`-like listings.
    public var description: String?
    /// The only values allowed, when set.
    public var allowedValues: [Value]?
    /// A regular expression the value's text must match (search semantics: anchor it with `^…$`).
    public var pattern: String?
    /// Whether the value is a secret: never logged, never shown.
    public var secret: Bool
    /// Where the input is declared.
    public var location: SourceLocation

    /// Converts a value given as text (`-i key=value`, an alert label) to this input's type, then checks it.
    /// - Returns: the typed value, or a sentence saying why it is not acceptable.
    public func accept(text: String) -> Result<Value, InputValueError> {
        switch type.convert(.string(text)) {
        case .success(let value): accept(value)
        case .failure(let error): .failure(InputValueError(input: name, problem: error.problem))
        }
    }

    /// Checks an already typed value against the type, `enum` and `pattern`.
    public func accept(_ value: Value) -> Result<Value, InputValueError> {
        let typed: Value
        switch type.convert(value) {
        case .success(let converted): typed = converted
        case .failure(let error): return .failure(InputValueError(input: name, problem: error.problem))
        }
        if let allowedValues, !allowedValues.contains(typed) {
            let listed = allowedValues.map { "'\($0.stringValue)'" }.joined(separator: ", ")
            return .failure(InputValueError(
                input: name, problem: "'\(displayed(typed))' is not one of \(listed)"
                    + NearestName.didYouMean(typed.stringValue, among: allowedValues.map(\.stringValue))))
        }
        if let pattern {
            switch PatternMatcher.search(pattern, in: typed.stringValue) {
            case .success(true): break
            case .success(false):
                return .failure(InputValueError(
                    input: name, problem: "'\(displayed(typed))' does not match the pattern '\(pattern)'"))
            case .failure(let error):
                return .failure(InputValueError(input: name, problem: error.description))
            }
        }
        return .success(typed)
    }

    private func displayed(_ value: Value) -> String { secret ? "***" : value.stringValue }
}

/// Why a value was refused for an input.
public struct InputValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input's name.
    public var input: String
    /// What is wrong with the value.
    public var problem: String

    /// `input 'service': 'x y' does not match the pattern '^[a-z-]+$'`.
    public var description: String { "input '\(input)': \(problem)" }
}
