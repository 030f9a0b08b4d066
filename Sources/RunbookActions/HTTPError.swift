import Foundation

/// Why an HTTP request got no response, as one line naming the request and what to check.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers that react to some of them (retries, messages).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// A short name of the kind.
        public let description: String

        /// The request itself is unusable: a malformed URL, a header with a line break, an unknown option.
        public static let invalidRequest = Code(description: "invalid request")
        /// The host name did not resolve.
        public static let unresolvedHost = Code(description: "unresolved host")
        /// Nothing listens on the port.
        public static let connectionRefused = Code(description: "connection refused")
        /// Connecting failed otherwise (unreachable network, firewall, proxy).
        public static let connectionFailed = Code(description: "connection failed")
        /// The request's timeout passed.
        public static let timedOut = Code(description: "timed out")
        /// The TLS handshake or certificate verification failed.
        public static let tls = Code(description: "TLS failure")
        /// More redirects than the request allows.
        public static let tooManyRedirects = Code(description: "too many redirects")
        /// The task was cancelled.
        public static let cancelled = Code(description: "cancelled")
        /// The exchange broke off for another reason.
        public static let transferFailed = Code(description: "transfer failed")
    }

    /// The kind of failure.
    public var code: Code
    /// The request's method.
    public var method: String
    /// The request's URL, with any password in it hidden.
    public var url: String
    /// What went wrong and what to check; it never contains the URL.
    public var reason: String

    /// Creates an error; a password in `url` is hidden.
    public init(_ code: Code, method: String, url: String, reason: String) {
        self.code = code
        self.method = method
        self.url = Self.hidingPassword(in: url)
        self.reason = reason
    }

    /// `GET http://host/path failed: reason`.
    public var description: String {
        code == .cancelled ? "\(method) \(url) was cancelled" : "\(method) \(url) failed: \(reason)"
    }

    /// `url` with any password in it replaced by `***`.
    static func hidingPassword(in url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
