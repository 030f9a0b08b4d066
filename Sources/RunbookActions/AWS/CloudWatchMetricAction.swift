import Foundation
import RunbookLanguage

/// `cloudwatch.metric`: one metric's datapoints over a window (`GetMetricData`), with the newest and largest values
/// and whether a threshold is breached.
public struct CloudWatchMetricAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process) {
        self.aws = aws
    }

    /// The catalog's `cloudwatch.metric` spec.
    public var spec: ActionSpec { .builtin("cloudwatch.metric") }

    /// Reads every page of datapoints from `window` ago to now; outputs `datapoints`, `count`, `latest`,
    /// `latest_at`, `max`, `min`, `breached` and `breaching`.
    /// - Throws: `ActionFailure` for a parameter CloudWatch would refuse, or when the metric cannot be read.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let query = try MetricQuery(context, action: spec.name)
        let client = AWSClient(
            session: try AWSSession(target: context.target, environment: aws), service: .cloudWatch)
        let points: [MetricQuery.Datapoint]
        do {
            points = try await query.datapoints(client)
        } catch {
            throw error.isCancelled ? ActionFailure.cancelled() : ActionFailure("\(error.message) (\(query))")
        }
        return query.outputs(points)
    }
}
