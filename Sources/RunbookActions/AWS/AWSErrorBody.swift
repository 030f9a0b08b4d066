import Foundation

/// The error type and message of an AWS error response: a JSON body (`__type`, `message`), or the XML body that
/// signature checks, the Query protocol and S3 answer with (`<Code>`, `<Message>`).
struct AWSErrorBody: Sendable, Hashable {
    /// The error type without its namespace or suffix: `ServiceNotFoundException`.
    var type: String?
    /// The error's message; empty when there is none.
    var message: String

    /// Creates a body from its parts.
    init(type: String?, message: String) {
        self.type = type
        self.message = message
    }

    /// Reads `response`'s body and its `X-Amzn-ErrorType` header.
    init(_ response: HTTPResponse) {
        var type = response.header("X-Amzn-ErrorType")
        var message: String?
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            type = (object["__type"] as? String) ?? (object["code"] as? String) ?? type
            message = (object["message"] as? String) ?? (object["Message"] as? String)
        } else if let root = try? XMLTree(parsing: response.body),
            root.first("Code") != nil || root.first("Message") != nil
        {
            type = root.first("Code")?.text ?? type
            message = root.first("Message")?.text
        } else {
            message = String(response.text.prefix(200)).replacingOccurrences(of: "\n", with: " ")
        }
        self.type = type.map(Self.unqualified).flatMap { $0.isEmpty ? nil : $0 }
        self.message = message?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// `com.amazonaws.ecs#ServiceNotFoundException` and `ServiceNotFoundException:http://…` as
    /// `ServiceNotFoundException`.
    static func unqualified(_ type: String) -> String {
        var name = Substring(type)
        if let hash = name.lastIndex(of: "#") { name = name[name.index(after: hash)...] }
        if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
        return name.trimmingCharacters(in: .whitespaces)
    }
}
