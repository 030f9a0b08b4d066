import RunbookLanguage

/// Turns a `metav1.LabelSelector` object into the query text kubectl sends (`app=web,tier in (a,b)`).
enum LabelSelector {
    /// The selector's requirements as kubectl writes them: sorted by key, `in`/`notin` values sorted.
    /// - Throws: `ActionFailure` for an operator Kubernetes does not have.
    static func text(_ selector: Value, of what: String) throws(ActionFailure) -> String {
        var requirements: [(key: String, text: String)] = []
        if case .object(let labels) = selector.member("matchLabels") {
            for (key, value) in labels { requirements.append((key, "\(key)=\(value.stringValue)")) }
        }
        if case .array(let expressions) = selector.member("matchExpressions") {
            for expression in expressions {
                let key = expression.member("key").text ?? ""
                var values: [String] = []
                if case .array(let items) = expression.member("values") { values = items.map(\.stringValue).sorted() }
                let list = values.joined(separator: ",")
                switch expression.member("operator").text {
                case "In": requirements.append((key, "\(key) in (\(list))"))
                case "NotIn": requirements.append((key, "\(key) notin (\(list))"))
                case "Exists": requirements.append((key, key))
                case "DoesNotExist": requirements.append((key, "!\(key)"))
                case let other:
                    throw ActionFailure("the selector of \(what) has an unknown operator '\(other ?? "")'")
                }
            }
        }
        return requirements.sorted { $0.key < $1.key }.map(\.text).joined(separator: ",")
    }
}
