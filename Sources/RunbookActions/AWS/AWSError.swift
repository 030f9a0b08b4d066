/// Why an AWS call failed, with what a one-line message needs: the environment, the endpoint, the credentials'
/// source and what to check.
struct AWSError: Error, Sendable {
    /// What went wrong.
    enum Reason: Sendable {
        /// No response: unreachable endpoint, TLS, timeout, cancellation.
        case transport(HTTPError)
        /// An AWS error response: the HTTP status, the error type without its namespace, and the message.
        case service(status: Int, type: String?, message: String)
        /// A response that is not what the API returns (another server at the endpoint, a proxy's page).
        case unreadable(String)
    }

    /// What went wrong.
    var reason: Reason
    /// The call: `ECS DescribeServices`.
    var call: String
    /// The IAM action the call needs: `ecs:DescribeServices`.
    var permission: String
    /// The endpoint the call went to.
    var endpoint: String
    /// Where the endpoint came from, and what to check about it.
    var endpointSource: String
    /// The credentials that signed the call (their description names no secret).
    var credentials: AWSCredentials
    /// The environment's name for messages.
    var environmentLabel: String

    /// The AWS error type (`ServiceNotFoundException`), nil when no error response arrived.
    var type: String? {
        if case .service(_, let type, _) = reason { return type }
        return nil
    }

    /// Whether the calling task was cancelled.
    var isCancelled: Bool {
        if case .transport(let error) = reason { return error.code == .cancelled }
        return false
    }

    /// The one line a user sees.
    var message: String {
        switch reason {
        case .transport(let error):
            guard error.code != .cancelled else { return "cancelled" }
            return "\(environmentLabel): \(call) at \(endpoint) failed: \(error.reason) (the endpoint is "
                + "\(endpointSource))"
        case .service(let status, let type, let text) where status == 401 || status == 403:
            let details = [type, text.isEmpty ? nil : text].compactMap { $0 }.joined(separator: ": ")
            let what = details.isEmpty ? "no error details" : details
            return "\(environmentLabel): \(call) at \(endpoint) was refused with HTTP \(status) (\(what)); "
                + credentialHint(type)
        case .service(let status, nil, let text):
            let shown = text.isEmpty ? "no error details" : text
            return "\(environmentLabel): \(call) at \(endpoint) answered HTTP \(status) (\(shown)); check that "
                + "the endpoint (\(endpointSource)) is the AWS API"
        case .service(_, let type?, let text):
            return "\(environmentLabel): \(call) failed: \(type)\(text.isEmpty ? "" : ": \(text)")"
        case .unreadable(let detail):
            return "\(environmentLabel): \(call) at \(endpoint) returned a response runbook cannot read "
                + "(\(detail)); check that the endpoint (\(endpointSource)) is the AWS API"
        }
    }

    /// What to check when the credentials were refused.
    private func credentialHint(_ type: String?) -> String {
        switch type {
        case "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature",
            "IncompleteSignatureException":
            "check the secret access key that goes with the \(credentials), and the system clock"
        case "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId":
            "the \(credentials) is not known there; check the key id, and the session token of temporary "
                + "credentials"
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
            "the \(credentials) has expired; get new temporary credentials"
        case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation":
            "the \(credentials) may not call \(permission); grant that permission to its user or role"
        default:
            "check the \(credentials) and its permission \(permission)"
        }
    }
}
