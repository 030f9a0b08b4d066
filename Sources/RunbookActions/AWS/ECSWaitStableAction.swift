import RunbookLanguage

/// `ecs.wait_stable`: polls a service until it has one deployment and runs as many tasks as it wants; the step's
/// timeout ends the wait.
public struct ECSWaitStableAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment
    /// How long to wait between two reads of the service.
    public var pollInterval: Duration

    /// Creates the action; it reads this process's environment unless told otherwise, and the service every 5 s.
    public init(aws: AWSEnvironment = .process, pollInterval: Duration = .seconds(5)) {
        self.aws = aws
        self.pollInterval = pollInterval
    }

    /// The catalog's `ecs.wait_stable` spec.
    public var spec: ActionSpec { .builtin("ecs.wait_stable") }

    /// Waits; outputs `desired` and `running` once stable. Each change of the counts is emitted as a line.
    /// - Throws: `ActionFailure` when the service cannot be read, or `cancelled` (the step's timeout).
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        var lastSummary = ""
        while true {
            let service = try await ecs.describeService()
            let summary = service.countsSummary
            if summary != lastSummary {
                context.emit(OutputLine(stream: .stdout, text: "\(ecs.label): \(summary)"))
                lastSummary = summary
            }
            let desired = service.desiredCount ?? 0
            let running = service.runningCount ?? 0
            if service.deployments?.count == 1, running == desired {
                return ["desired": .number(Double(desired)), "running": .number(Double(running))]
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw ActionFailure("cancelled while \(ecs.label) was not yet stable (\(summary))", code: .cancelled)
            }
        }
    }
}
