import RunbookLanguage

/// Renders a runbook's step graph for Mermaid or Graphviz; gated steps are hexagons, mutating ones highlighted.
struct GraphRenderer {
    let catalog: ActionCatalog

    /// The graph languages.
    enum Format: String, CaseIterable, Sendable {
        case mermaid, dot
    }

    func render(_ runbook: Runbook, as format: Format) -> String {
        switch format {
        case .mermaid: mermaid(runbook)
        case .dot: dot(runbook)
        }
    }

    private struct NodeFacts {
        var label: [String]
        var mutating: Bool
        var gated: Bool
    }

    private func facts(_ step: Step) -> NodeFacts {
        let actionMutating = catalog[step.action]?.mutating ?? true
        var label = [step.displayName, step.action]
        if let condition = step.condition { label.append("if " + condition.site.content) }
        let gated = step.isGated(actionMutating: actionMutating)
        if gated { label.append("gate") }
        return NodeFacts(label: label, mutating: step.isMutating(actionMutating: actionMutating), gated: gated)
    }

    private func mermaid(_ runbook: Runbook) -> String {
        var ids: [String: String] = [:]
        for (index, step) in runbook.steps.enumerated() { ids[step.id] = "s\(index)" }
        var out = "flowchart TD\n"
        for step in runbook.steps {
            guard let id = ids[step.id] else { continue }
            let node = facts(step)
            let label = "\"" + node.label.map(mermaidEscape).joined(separator: "<br/>") + "\""
            out += "    \(id)" + (node.gated ? "{{\(label)}}" : "[\(label)]")
            out += node.mutating ? ":::mutating\n" : "\n"
        }
        for step in runbook.steps {
            for need in step.needs {
                if let from = ids[need], let to = ids[step.id] { out += "    \(from) --> \(to)\n" }
            }
        }
        out += "    classDef mutating fill:#fde2e1,stroke:#c0392b\n"
        return out
    }

    private func dot(_ runbook: Runbook) -> String {
        var out = "digraph \(dotQuote(runbook.name)) {\n    rankdir=TB;\n    node [shape=box, fontname=\"Helvetica\"];\n"
        for step in runbook.steps {
            let node = facts(step)
            var attributes = ["label=" + dotQuote(node.label.joined(separator: "\n"))]
            if node.gated { attributes.append("shape=hexagon") }
            if node.mutating { attributes += ["style=filled", "fillcolor=\"#fde2e1\""] }
            out += "    \(dotQuote(step.id)) [" + attributes.joined(separator: ", ") + "];\n"
        }
        for step in runbook.steps {
            for need in step.needs { out += "    \(dotQuote(need)) -> \(dotQuote(step.id));\n" }
        }
        return out + "}\n"
    }

    private func mermaidEscape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "#quot;"
            case "<": escaped += "#lt;"
            case ">": escaped += "#gt;"
            case "\n": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private func dotQuote(_ text: String) -> String {
        var escaped = "\""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped + "\""
    }
}
