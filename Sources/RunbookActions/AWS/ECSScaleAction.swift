import Foundation
import RunbookLanguage

/// `ecs.scale`: sets a service's desired count, to `desired_count` or changed `by` `+N`/`-N`.
public struct ECSScaleAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process) {
        self.aws = aws
    }

    /// The catalog's `ecs.scale` spec.
    public var spec: ActionSpec { .builtin("ecs.scale") }

    /// The target it changes, locked while it acts.
    public func lock(_ context: ActionContext) -> String? { TargetName.ecsService(context) }

    /// Sets the desired count; outputs `previous` and `desired`.
    /// - Throws: `ActionFailure` when the service cannot be read or changed, or the new count would be negative.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let current = try await ecs.describeService()
        let previous = current.desiredCount ?? 0
        let desired = try newCount(context, current: previous, ecs)
        let updated = try await ecs.updateService(desiredCount: desired)
        return ["previous": .number(Double(previous)), "desired": .number(Double(updated.desiredCount ?? desired))]
    }

    /// The service's counts now and the desired count it would get.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let current = try await ecs.describeService()
        let previous = current.desiredCount ?? 0
        let desired = try newCount(context, current: previous, ecs)
        return [
            "\(ecs.label): \(current.countsSummary)",
            "desired count \(previous) → \(desired)",
        ]
    }

    /// `desired_count`, or the current count changed by `by`.
    private func newCount(_ context: ActionContext, current: Int, _ ecs: ECSClient) throws(ActionFailure) -> Int {
        if let count = try context.integer("desired_count", action: spec.name) { return count }
        let change: Int? =
            switch context.parameters["by"] {
            case .number(let number)? where number.rounded() == number && abs(number) < 1e9: Int(number)
            case .string(let text)?: Int(text.trimmingCharacters(in: .whitespaces))
            default: nil
            }
        guard let change else {
            throw ActionFailure("\(spec.name): give 'desired_count' (a count) or 'by' (a change such as '+2' or '-1')")
        }
        let result = current + change
        guard result >= 0 else {
            throw ActionFailure(
                "\(spec.name): \(ecs.label) wants \(current) tasks; changing that by \(change) is below 0")
        }
        return result
    }
}
