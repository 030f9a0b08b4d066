import Yams

/// Reads the `steps:` list.
struct StepReader {
    let catalog: ActionCatalog

    static let keys = [
        "id", "name", "action", "run", "with", "needs", "if", "timeout", "retry", "continue_on_error", "confirm",
        "mutating", "recovery", "env", "lock",
    ]
    static let retryKeys = ["attempts", "delay", "backoff", "until"]
    static let confirmKeys = ["message", "timeout", "default", "approvers", "min_approvals"]

    func read(_ node: Node, reader: inout DocumentReader) -> [Step] {
        guard case .sequence(let items) = node else {
            reader.error(reader.location(node), "'steps' must be a list of steps, not \(reader.describe(node))")
            return []
        }
        if items.isEmpty {
            reader.error(reader.location(node), "'steps' is empty", hint: "a runbook needs at least one step")
        }
        var steps: [Step] = []
        var firstSeen: [String: SourceLocation] = [:]
        var previousID: String?
        for (index, item) in items.enumerated() {
            guard var step = read(item, number: index + 1, reader: &reader) else {
                previousID = nil
                continue
            }
            if step.keyLocations["needs"] == nil {
                step.needs = previousID.flatMap { $0 == step.id ? nil : [$0] } ?? []
            }
            if let first = firstSeen[step.id] {
                reader.error(step.keyLocations["id"] ?? step.location,
                             "duplicate step id '\(step.id)'; the first is at line \(first.line)",
                             hint: "give each step a unique id")
            } else {
                firstSeen[step.id] = step.keyLocations["id"] ?? step.location
            }
            previousID = step.id
            steps.append(step)
        }
        return steps
    }

    private func read(_ node: Node, number: Int, reader: inout DocumentReader) -> Step? {
        guard let entries = reader.mapping(node, "step \(number)") else { return nil }
        let idEntry = entries.first { $0.key == "id" }
        let id = idEntry.flatMap { reader.text($0.value, "the 'id' of step \(number)") }
        let what = id.map { "step '\($0)'" } ?? "step \(number)"
        reader.checkKeys(entries, allowed: Self.keys, in: what)
        var step = Step(
            id: id ?? "", name: nil, action: "", parameters: [], needs: [], needLocations: [], condition: nil,
            timeout: nil, retry: nil, continueOnError: false, confirmation: nil, mutating: nil, recovery: false,
            environment: [], location: reader.location(node), keyLocations: [:])
        for entry in entries { step.keyLocations[entry.key] = entry.keyLocation }
        if let idEntry, let id {
            if !Identifier.isStepID(id) {
                reader.error(reader.location(idEntry.value), "invalid step id '\(id)': use lowercase letters, digits, "
                             + "'_' and '-', starting with a letter or digit")
            }
        } else if idEntry == nil {
            reader.error(step.location, "\(what) is missing required key 'id'", hint: "add 'id: <a-unique-id>'")
        }
        var withNode: Node?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "name": step.name = reader.text(value, "'name' of \(what)")
            case "action":
                if let action = reader.text(value, "'action' of \(what)") { step.action = action }
            case "run":
                if let command = reader.parameterValue(value) {
                    step.parameters.insert(Parameter(name: "command", value: command, location: entry.keyLocation),
                                           at: 0)
                }
            case "with": withNode = value
            case "needs":
                let needs = reader.stringList(value, "'needs' of \(what)") ?? []
                step.needs = needs.map(\.value)
                step.needLocations = needs.map(\.location)
            case "if": step.condition = reader.condition(value, "'if' of \(what)")
            case "timeout": step.timeout = reader.duration(value, "'timeout' of \(what)")
            case "retry": step.retry = retry(value, what: what, reader: &reader)
            case "continue_on_error": step.continueOnError = reader.bool(value, "'continue_on_error' of \(what)") ?? false
            case "confirm": step.confirmation = confirmation(value, at: entry.keyLocation, what: what, reader: &reader)
            case "mutating": step.mutating = reader.bool(value, "'mutating' of \(what)")
            case "recovery": step.recovery = reader.bool(value, "'recovery' of \(what)") ?? false
            case "lock":
                guard let lock = reader.text(value, "'lock' of \(what)") else { break }
                if Identifier.isLockName(lock) {
                    step.lock = lock
                } else {
                    reader.error(reader.location(value), "'lock' of \(what) must be a plain name, not '\(lock)'",
                                 hint: "use letters, digits and ':/._@-', such as 'host:db-1' or 'dns:example.com'; "
                                    + "a lock is a fixed name, so it holds no ${{ }} expression")
                }
            case "env":
                for field in reader.mapping(value, "'env' of \(what)") ?? [] {
                    if let parameter = reader.parameterValue(field.value) {
                        step.environment.append(Parameter(name: field.key, value: parameter,
                                                          location: field.keyLocation))
                    }
                }
            default: break
            }
        }
        resolveAction(&step, entries: entries, what: what, reader: &reader)
        if let withNode {
            for field in reader.mapping(withNode, "'with' of \(what)") ?? [] {
                if let value = reader.parameterValue(field.value) {
                    step.parameters.append(Parameter(name: field.key, value: value, location: field.keyLocation))
                }
            }
        }
        step.shellScript = ShellCommandChecker(source: reader.source).compile(step, into: &reader.diagnostics)
        return step
    }

    private func resolveAction(_ step: inout Step, entries: [YAMLEntry], what: String, reader: inout DocumentReader) {
        let hasRun = step.keyLocations["run"] != nil
        let hasAction = step.keyLocations["action"] != nil
        switch (hasAction, hasRun) {
        case (true, true):
            reader.error(step.keyLocations["run"] ?? step.location, "\(what) has both 'action' and 'run'",
                         hint: "'run: CMD' is short for 'action: shell' with 'with: { command: CMD }'; keep one")
        case (false, true):
            step.action = "shell"
            if entries.contains(where: { $0.key == "with" && mappingHasKey($0.value, "command") }) {
                reader.error(step.keyLocations["with"] ?? step.location,
                             "\(what) gives the command twice: in 'run' and in 'with.command'")
            }
        case (false, false):
            reader.error(step.location, "\(what) needs 'action' or 'run'",
                         hint: "name an action (e.g. 'action: http.check') or a shell command ('run: ...')")
        case (true, false):
            if !step.action.isEmpty, catalog[step.action] == nil, let location = step.keyLocations["action"] {
                let valueLocation = entries.first { $0.key == "action" }.map { reader.location($0.value) } ?? location
                reader.error(valueLocation, "unknown action '\(step.action)'"
                             + NearestName.didYouMean(step.action, among: catalog.names),
                             hint: "the actions are " + catalog.names.joined(separator: ", "))
            }
        }
    }

    private func mappingHasKey(_ node: Node, _ key: String) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.contains { $0.key.string == key }
    }

    private func retry(_ node: Node, what: String, reader: inout DocumentReader) -> RetryPolicy? {
        let context = "'retry' of \(what)"
        guard let entries = reader.mapping(node, context) else { return nil }
        reader.checkKeys(entries, allowed: Self.retryKeys, in: context)
        var policy = RetryPolicy(attempts: 3, delay: .seconds(10), backoff: .constant, until: nil)
        for entry in entries {
            switch entry.key {
            case "attempts":
                if let attempts = reader.int(entry.value, "'attempts' of \(context)", minimum: 1) {
                    policy.attempts = attempts
                }
            case "delay":
                if let delay = reader.duration(entry.value, "'delay' of \(context)") { policy.delay = delay }
            case "backoff":
                guard let text = reader.text(entry.value, "'backoff' of \(context)") else { continue }
                if let backoff = RetryPolicy.Backoff(rawValue: text) {
                    policy.backoff = backoff
                } else {
                    reader.error(reader.location(entry.value), "'backoff' of \(context) must be 'constant' or "
                                 + "'exponential', not '\(text)'")
                }
            case "until": policy.until = reader.condition(entry.value, "'until' of \(context)")
            default: break
            }
        }
        return policy
    }

    private func confirmation(
        _ node: Node, at keyLocation: SourceLocation, what: String, reader: inout DocumentReader
    ) -> Confirmation? {
        let context = "'confirm' of \(what)"
        var confirmation = Confirmation(enabled: true, location: keyLocation)
        switch node {
        case .scalar:
            switch reader.scalarValue(node) {
            case .bool(let enabled): confirmation.enabled = enabled
            case .string(let text) where ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()):
                reader.error(reader.location(node), "\(context) is '\(text)', which YAML 1.2 reads as a message, "
                             + "not a yes/no answer", hint: "write 'confirm: true' or 'confirm: false'")
                return nil
            case .string: confirmation.message = reader.template(node, context)
            default:
                reader.error(reader.location(node), "\(context) must be true, false, a message or a mapping, "
                             + "not \(reader.describe(node))")
                return nil
            }
            return confirmation
        case .mapping:
            break
        default:
            reader.error(reader.location(node), "\(context) must be true, false, a message or a mapping, "
                         + "not \(reader.describe(node))")
            return nil
        }
        guard let entries = reader.mapping(node, context) else { return nil }
        reader.checkKeys(entries, allowed: Self.confirmKeys, in: context)
        var minApprovalsLocation: SourceLocation?
        for entry in entries {
            switch entry.key {
            case "message": confirmation.message = reader.template(entry.value, "'message' of \(context)")
            case "timeout": confirmation.timeout = reader.duration(entry.value, "'timeout' of \(context)")
            case "default":
                guard let text = reader.text(entry.value, "'default' of \(context)") else { continue }
                if let decision = GateDecision(rawValue: text) {
                    confirmation.defaultDecision = decision
                } else {
                    reader.error(reader.location(entry.value),
                                 "'default' of \(context) must be 'deny' or 'approve', not '\(text)'"
                                 + NearestName.didYouMean(text, among: GateDecision.allCases.map(\.rawValue)))
                }
            case "approvers":
                confirmation.approvers = reader.stringList(entry.value, "'approvers' of \(context)")?.map(\.value) ?? []
            case "min_approvals":
                minApprovalsLocation = reader.location(entry.value)
                if let count = reader.int(entry.value, "'min_approvals' of \(context)", minimum: 1) {
                    confirmation.minApprovals = count
                }
            default: break
            }
        }
        if let minApprovalsLocation, !confirmation.approvers.isEmpty,
           confirmation.minApprovals > confirmation.approvers.count {
            reader.error(minApprovalsLocation, "'min_approvals' of \(context) is \(confirmation.minApprovals), but 'approvers' "
                         + "names only \(confirmation.approvers.count) \(confirmation.approvers.count == 1 ? "person" : "people")",
                         hint: "list more approvers or lower min_approvals")
        }
        return confirmation
    }
}
