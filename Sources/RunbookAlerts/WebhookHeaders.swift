/// A request's header fields, looked up without regard to letter case, as HTTP defines them.
public struct WebhookHeaders: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var fields: [String: String] = [:]

    /// Collects `fields` in order; a repeated name keeps its values joined with `, ` (RFC 9110 §5.3).
    public init(_ fields: some Sequence<(name: String, value: String)>) {
        for (name, value) in fields {
            let key = name.lowercased()
            self.fields[key] = self.fields[key].map { $0 + ", " + value } ?? value
        }
    }

    /// Creates headers from name-value pairs.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { (name: $0.0, value: $0.1) })
    }

    /// The value of the field `name` in any letter case, or nil.
    public subscript(name: String) -> String? { fields[name.lowercased()] }
}
