import Yams

/// Reads the `triggers:` list.
enum TriggerReader {
    static let keys = ["source", "match", "match_re", "inputs", "severity"]

    static func read(_ node: Node, reader: inout DocumentReader) -> [Trigger] {
        if reader.scalarValue(node) == .null, case .scalar = node { return [] }
        guard case .sequence(let items) = node else {
            reader.error(reader.location(node), "'triggers' must be a list, not \(reader.describe(node))")
            return []
        }
        return items.enumerated().compactMap { read($1, number: $0 + 1, reader: &reader) }
    }

    private static func read(_ node: Node, number: Int, reader: inout DocumentReader) -> Trigger? {
        let what = "trigger \(number)"
        guard let entries = reader.mapping(node, what) else { return nil }
        reader.checkKeys(entries, allowed: keys, in: what)
        var trigger = Trigger(
            source: .alertmanager, match: [:], matchRegex: [:], inputs: [:], severity: nil,
            location: reader.location(node))
        var sawSource = false
        for entry in entries {
            switch entry.key {
            case "source":
                sawSource = true
                guard let text = reader.text(entry.value, "'source' of \(what)") else { continue }
                if let source = AlertSource(rawValue: text) {
                    trigger.source = source
                } else {
                    let names = AlertSource.allCases.map(\.rawValue)
                    reader.error(reader.location(entry.value),
                                 "unknown alert source '\(text)'" + NearestName.didYouMean(text, among: names),
                                 hint: "the sources are " + names.joined(separator: ", "))
                }
            case "match":
                for item in reader.stringMap(entry.value, "'match' of \(what)") ?? [] {
                    trigger.match[item.key] = item.value
                }
            case "match_re":
                for item in reader.stringMap(entry.value, "'match_re' of \(what)") ?? [] {
                    if let problem = PatternMatcher.check(item.value) {
                        reader.error(item.location, "'match_re.\(item.key)' of \(what): \(problem)")
                    } else {
                        trigger.matchRegex[item.key] = item.value
                    }
                }
            case "inputs":
                for field in reader.mapping(entry.value, "'inputs' of \(what)") ?? [] {
                    if let template = reader.template(field.value, "input '\(field.key)' of \(what)") {
                        trigger.inputs[field.key] = template
                    }
                }
            case "severity":
                trigger.severity = reader.template(entry.value, "'severity' of \(what)")
                if let severity = trigger.severity, severity.template.isLiteral,
                   Severity(parsing: severity.site.content) == nil {
                    reader.error(reader.location(entry.value), "unknown severity '\(severity.site.content)' in "
                                 + "\(what); use \(Severity.spellings) or an expression such as "
                                 + "'${{ alert.labels.severity }}'")
                }
            default: break
            }
        }
        if !sawSource {
            reader.error(trigger.location, "\(what) is missing required key 'source'",
                         hint: "name the alert format: " + AlertSource.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return trigger
    }
}
