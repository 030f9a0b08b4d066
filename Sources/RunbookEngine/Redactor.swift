import Foundation

import RunbookLanguage

/// Replaces secrets with `***` before anything reaches an event or the terminal.
///
/// Secrets are the values of `secret: true` inputs and of configuration `${VAR}` references, plus credentials
/// found inside URLs (`https://user:pass@host`) and libpq connection strings (`password=…`).
public struct Redactor: Sendable {
    /// The literal secret values, longest first so a secret containing another is replaced whole.
    public private(set) var secrets: [String]

    /// Creates a redactor for `secrets` (values shorter than 3 characters are ignored: they would mask everything).
    public init(secrets: [String] = []) {
        self.secrets = []
        for secret in secrets { add(secret) }
    }

    /// Adds a secret value.
    public mutating func add(_ secret: String) {
        guard secret.count >= 3, !secrets.contains(secret) else { return }
        secrets.append(secret)
        secrets.sort { $0.count > $1.count }
    }

    /// `text` with every secret and embedded credential replaced by `***`.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        if result.contains("://") { result = Self.maskURLCredentials(result) }
        if result.contains("password=") || result.contains("PASSWORD=") { result = Self.maskPasswordFields(result) }
        return result
    }

    /// `value` with every string inside redacted.
    public func redact(_ value: Value) -> Value {
        switch value {
        case .string(let text): .string(redact(text))
        case .array(let items): .array(items.map(redact))
        case .object(let fields): .object(fields.mapValues(redact))
        default: value
        }
    }

    /// `scheme://user:password@host` → `scheme://user:***@host`.
    private static func maskURLCredentials(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            output += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\n" }
                ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                output += authority[...colon] + "***" + authority[at...]
                rest = rest[authorityEnd...]
            }
        }
        return output + rest
    }

    /// `password=secret` (libpq conninfo) → `password=***`.
    private static func maskPasswordFields(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "password=", options: .caseInsensitive) {
            output += rest[..<range.upperBound] + "***"
            rest = rest[range.upperBound...]
            let end: Substring.Index
            if rest.first == "'" {
                end = rest.dropFirst().firstIndex(of: "'").map { rest.index(after: $0) } ?? rest.endIndex
            } else {
                end = rest.firstIndex { $0 == " " || $0 == "&" || $0 == "\n" || $0 == "\"" } ?? rest.endIndex
            }
            rest = rest[end...]
        }
        return output + rest
    }
}
