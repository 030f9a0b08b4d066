/// A built-in function of the expression language. Names are case-sensitive.
public enum ExpressionFunction: String, Sendable, Hashable, CaseIterable {
    /// `contains(search, item)`: a string contains a substring, or an array an element.
    case contains
    /// `startsWith(text, prefix)`
    case startsWith
    /// `endsWith(text, suffix)`
    case endsWith
    /// `format('{0} of {1}', a, b)`; `{{` and `}}` write literal braces.
    case format
    /// `join(list, separator)`; the separator defaults to `,`.
    case join
    /// `length(x)`: characters of a string, elements of an array, members of an object.
    case length
    /// `toJSON(x)`: pretty-printed JSON with sorted keys.
    case toJSON
    /// `fromJSON(text)`: the value the JSON text holds.
    case fromJSON
    /// `success()`: nothing upstream failed and the run is not being cancelled.
    case success
    /// `failure()`: a step upstream concluded `failure` or `denied`.
    case failure
    /// `always()`: true.
    case always
    /// `cancelled()`: the run is being cancelled.
    case cancelled

    /// The function's name as written in expressions.
    public var name: String { rawValue }

    /// How many arguments the function takes.
    public var arity: ClosedRange<Int> {
        switch self {
        case .contains, .startsWith, .endsWith: 2...2
        case .format: 1...Int.max
        case .join: 1...2
        case .length, .toJSON, .fromJSON: 1...1
        case .success, .failure, .always, .cancelled: 0...0
        }
    }

    /// Whether this is one of `success()`, `failure()`, `always()`, `cancelled()`, which decide
    /// whether an `if:` replaces the implicit `success() &&`.
    public var isStatusFunction: Bool {
        switch self {
        case .success, .failure, .always, .cancelled: true
        case .contains, .startsWith, .endsWith, .format, .join, .length, .toJSON, .fromJSON: false
        }
    }

    /// The message for calling the function with `count` arguments, or `nil` when that is allowed.
    func arityProblem(argumentCount count: Int) -> String? {
        guard !arity.contains(count) else { return nil }
        let expected: String
        switch (arity.lowerBound, arity.upperBound) {
        case (0, 0): expected = "no arguments"
        case (let low, Int.max): expected = "at least \(low) argument\(low == 1 ? "" : "s")"
        case (let low, let high) where low == high: expected = "\(low) argument\(low == 1 ? "" : "s")"
        case (let low, let high): expected = "\(low) or \(high) arguments"
        }
        return "'\(name)' takes \(expected), got \(count)"
    }

    /// The message for calling a function that does not exist, with the closest name suggested.
    static func unknownFunctionMessage(_ name: String) -> String {
        let names = allCases.map(\.name)
        if let suggestion = NearestName.suggestion(for: name, among: names) {
            return "unknown function '\(name)' (did you mean '\(suggestion)'?)"
        }
        return "unknown function '\(name)'; the functions are " + names.joined(separator: ", ")
    }
}
