import RunbookLanguage

/// One run of the timeline, as its events tell it.
struct RunRecord {
    var id: String
    var runbook = ""
    var title = ""
    var severity = ""
    var environment: String?
    var startedBy: String?
    var status: String?
    var started: Moment?
    var startedAt: Int64 = 0
    var finished: Moment?
    var finishedAt: Int64?
    /// The runbook's own severity and the reason given, when the run was started at a lower one.
    var severityLowered: (from: String, reason: String)?

    /// The run as the JSON and the templates have it.
    var value: Value {
        [
            "id": .string(id), "runbook": .string(runbook), "title": .string(title), "severity": .string(severity),
            "environment": environment.value, "started_by": startedBy.value,
            "status": .string(status ?? "unfinished"), "started": started.value, "finished": finished.value,
            "duration": finishedAt.map { Span(milliseconds: ($0 - startedAt) / 1_000) }.value,
            "severity_lowered": severityLowered.map { ["from": .string($0.from), "reason": .string($0.reason)] }
                ?? .null,
        ]
    }
}
