import RunbookLanguage

/// One step of one run: how it ended and how long it took.
struct StepRecord {
    var run: String
    var id: String
    var action: String?
    var mutating = false
    var outcome: String?
    var conclusion: String?
    var started: Moment?
    var finished: Moment?
    var duration: Span?
    var attempts = 0
    var error: String?
    var output: String?

    /// The step as the JSON and the templates have it.
    var value: Value {
        let failed = outcome == "failure" || outcome == "cancelled" || outcome == "denied"
        return [
            "run": .string(run), "id": .string(id), "action": action.value, "mutating": .bool(mutating),
            "outcome": .string(outcome ?? "unfinished"), "conclusion": conclusion.value, "failed": .bool(failed),
            "started": started.value, "finished": finished.value, "duration": duration.value,
            "attempts": .number(Double(attempts)), "error": error.value, "output": output.value,
        ]
    }

    /// A step's outputs as `key: value` lines, sorted by key, trimmed; nil when it has none.
    static func outputText(_ outputs: Value) -> String? {
        guard case .object(let members) = outputs, !members.isEmpty else { return nil }
        let lines = members.keys.sorted().map { key in "\(key): \(members[key]?.stringValue ?? "")" }
        return TextEscaping.trim(lines.joined(separator: "\n"))
    }
}
