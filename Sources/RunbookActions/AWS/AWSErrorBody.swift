import Foundation

/// The error type and message of an AWS error response: a JSON body (`__type`, `message`), or the XML body that
/// signature checks answer with (`<Code>`, `<Message>`).
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
        } else {
            let text = response.text
            type = Self.element("Code", in: text) ?? type
            message = Self.element("Message", in: text)
            if type == nil, message == nil {
                message = String(text.prefix(200)).replacingOccurrences(of: "\n", with: " ")
            }
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

    /// The text of the first `<name>…</name>` in `xml`, with the five predefined entities decoded.
    private static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"),
            let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
