import Foundation
import RunbookLanguage

/// The bearer tokens of `serve.tokens`, each standing for a name (the actor of what it does).
struct BearerTokens: Sendable {
    private let tokens: [ServeToken]

    /// The configured tokens; empty ones (an unset `${VAR}`) are never accepted.
    init(_ tokens: [ServeToken]) {
        self.tokens = tokens.filter { !$0.token.isEmpty }
    }

    /// Whether no token can be accepted.
    var isEmpty: Bool { tokens.isEmpty }

    /// The name of the token in an `Authorization: Bearer TOKEN` header (or `Basic` with the token as the password,
    /// which is all Amazon SNS can send), or nil when there is none or it is unknown. Every configured token is
    /// compared in full, so the time taken does not tell how much of a guess was right.
    func name(authorization: String?) -> String? {
        guard let authorization, let space = authorization.firstIndex(of: " ") else { return nil }
        let scheme = authorization[..<space].lowercased()
        let credentials = authorization[space...].trimmingCharacters(in: .whitespaces)
        let token: Substring
        switch scheme {
        case "bearer":
            token = Substring(credentials)
        case "basic":
            guard let decoded = Data(base64Encoded: credentials).flatMap({ String(data: $0, encoding: .utf8) }),
                let colon = decoded.firstIndex(of: ":")
            else { return nil }
            token = decoded[decoded.index(after: colon)...]
        default:
            return nil
        }
        let presented = Array(token.utf8)
        var found: String?
        for token in tokens where Self.constantTimeEqual(Array(token.token.utf8), presented) {
            found = found ?? token.name
        }
        return found
    }

    private static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
