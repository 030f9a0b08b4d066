/// Regular expressions as runbooks use them: input `pattern:` (search) and trigger `match_re:` (anchored).
public enum PatternMatcher {
    /// Whether `pattern` matches somewhere in `text`.
    public static func search(_ pattern: String, in text: String) -> Result<Bool, PatternError> {
        compile(pattern).map { text.firstMatch(of: $0) != nil }
    }

    /// Whether `pattern` matches the whole of `text`.
    public static func matchesWhole(_ pattern: String, _ text: String) -> Result<Bool, PatternError> {
        compile(pattern).map { text.wholeMatch(of: $0) != nil }
    }

    /// Checks that `pattern` compiles.
    public static func check(_ pattern: String) -> PatternError? {
        if case .failure(let error) = compile(pattern) { return error }
        return nil
    }

    private static func compile(_ pattern: String) -> Result<Regex<AnyRegexOutput>, PatternError> {
        do {
            return .success(try Regex(pattern))
        } catch {
            return .failure(PatternError(pattern: pattern, reason: "\(error)"))
        }
    }
}

/// A regular expression that does not compile.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public var pattern: String
    /// The regular expression engine's complaint.
    public var reason: String

    /// `invalid regular expression '[a-': expected ']'`.
    public var description: String { "invalid regular expression '\(pattern)': \(reason)" }
}
