import Synchronization

/// Regular expressions as runbooks use them: input `pattern:` is searched, trigger `match_re:` matches whole values.
///
/// Compiled patterns are cached for the process: a library repeats the same few patterns, and compiling one costs
/// more than checking a whole step.
public enum PatternMatcher {
    private static let cache = Mutex<[String: Result<CompiledPattern, PatternError>]>([:])

    /// A compiled pattern that can be shared between tasks.
    ///
    /// `@unchecked` because `Regex` does not declare `Sendable`, yet it is an immutable value whose lazily lowered
    /// program is published atomically by the standard library, so matching from several threads is safe.
    private struct CompiledPattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
    }

    /// Whether `pattern` matches somewhere in `text`.
    public static func search(_ pattern: String, in text: String) -> Result<Bool, PatternError> {
        compile(pattern).map { text.firstMatch(of: $0.regex) != nil }
    }

    /// Whether `pattern` matches the whole of `text`, as if written `^(?:pattern)$` (trigger `match_re`).
    public static func matchesWhole(_ pattern: String, in text: String) -> Result<Bool, PatternError> {
        compile(pattern).map { text.wholeMatch(of: $0.regex) != nil }
    }

    /// Checks that `pattern` compiles.
    public static func check(_ pattern: String) -> PatternError? {
        if case .failure(let error) = compile(pattern) { return error }
        return nil
    }

    private static func compile(_ pattern: String) -> Result<CompiledPattern, PatternError> {
        if let cached = cache.withLock({ $0[pattern] }) { return cached }
        let compiled: Result<CompiledPattern, PatternError>
        do {
            compiled = .success(CompiledPattern(regex: try Regex(pattern)))
        } catch {
            compiled = .failure(PatternError(pattern: pattern, reason: "\(error)"))
        }
        cache.withLock { cache in
            if cache.count >= 1_024 { cache.removeAll() }
            cache[pattern] = compiled
        }
        return compiled
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
