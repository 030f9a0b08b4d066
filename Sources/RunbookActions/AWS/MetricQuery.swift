import Foundation
import RunbookLanguage

/// What a `cloudwatch.metric` step asks for: one metric, a statistic over periods of a window, and the threshold its
/// datapoints are held against.
struct MetricQuery: Sendable, CustomStringConvertible {
    /// The metric's namespace: `AWS/ApplicationELB`.
    var namespace: String
    /// The metric's name: `TargetResponseTime`.
    var metric: String
    /// Its dimensions, by name.
    var dimensions: [String: String]
    /// `Average`, `Sum`, `Minimum`, `Maximum`, `SampleCount` or a percentile (`p99`).
    var statistic: String
    /// Seconds per datapoint.
    var period: Int
    /// Seconds back from now.
    var window: TimeInterval
    /// The number datapoints are compared with, if any.
    var threshold: Double?
    /// Whether values above the threshold breach it (otherwise values below do).
    var breachesAbove: Bool

    /// The statistics CloudWatch names by word.
    static let statistics = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"]

    /// A query without a threshold.
    init(
        namespace: String, metric: String, dimensions: [String: String], statistic: String, period: Int,
        window: TimeInterval
    ) {
        self.namespace = namespace
        self.metric = metric
        self.dimensions = dimensions
        self.statistic = statistic
        self.period = period
        self.window = window
        threshold = nil
        breachesAbove = true
    }

    /// Reads and checks a step's parameters.
    /// - Throws: `ActionFailure` for a missing or malformed parameter, naming what CloudWatch accepts.
    init(_ context: ActionContext, action: String) throws(ActionFailure) {
        namespace = try context.requiredString("namespace", action: action)
        metric = try context.requiredString("metric", action: action)
        dimensions = try context.stringMap("dimensions", action: action)
        statistic = context.string("statistic") ?? "Average"
        guard Self.statistics.contains(statistic) || Self.isPercentile(statistic) else {
            throw ActionFailure(
                "\(action): 'statistic' must be one of \(Self.statistics.joined(separator: ", ")) or a percentile "
                    + "such as 'p99', not '\(statistic)'")
        }
        let periodDuration = try context.duration("period", action: action, default: .seconds(60)) ?? .seconds(60)
        let seconds = periodDuration.components.seconds
        let allowed = [1, 5, 10, 30].contains(seconds) || (seconds > 0 && seconds % 60 == 0)
        guard periodDuration.components.attoseconds == 0, allowed else {
            throw ActionFailure(
                "\(action): 'period' must be 1s, 5s, 10s, 30s or a whole number of minutes, not "
                    + "'\(context.string("period") ?? "")'")
        }
        period = Int(seconds)
        let windowDuration = try context.duration("window", action: action, default: .seconds(900)) ?? .seconds(900)
        window = Double(windowDuration / .milliseconds(1)) / 1000
        guard window >= Double(period) else {
            throw ActionFailure(
                "\(action): 'window' ('\(context.string("window") ?? "")') is shorter than one period (\(period) s)")
        }
        threshold = try context.number("threshold", action: action)
        breachesAbove = context.string("breach_when") != "below"
    }

    /// `p99`, `p99.9`: a percentile from 0 to 100.
    private static func isPercentile(_ text: String) -> Bool {
        guard text.hasPrefix("p"), let value = Double(text.dropFirst()) else { return false }
        return (0...100).contains(value)
    }

    /// The query as `GetMetricData` takes it.
    var dataQuery: DataQuery {
        DataQuery(
            id: "m0",
            stat: .init(
                metric: .init(
                    namespace: namespace, name: metric,
                    dimensions: dimensions.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) }),
                period: period, stat: statistic))
    }

    /// `AWS/ApplicationELB TargetResponseTime (LoadBalancer=app/web/1) p99 per 60 s`, for messages.
    var description: String {
        let shown = dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(namespace) \(metric)\(shown.isEmpty ? "" : " (\(shown))") \(statistic) per \(period) s"
    }

    /// The step's outputs for `points`, oldest first.
    func outputs(_ points: [(time: Date, value: Double)]) -> [String: Value] {
        let values = points.map(\.value)
        let breaching = values.filter(breaches)
        let latest = points.last
        return [
            "datapoints": .array(
                points.map { .object(["timestamp": .string($0.time.ISO8601Format()), "value": .number($0.value)]) }),
            "count": .number(Double(points.count)),
            "latest": latest.map { .number($0.value) } ?? .null,
            "latest_at": latest.map { .string($0.time.ISO8601Format()) } ?? .null,
            "max": values.max().map(Value.number) ?? .null,
            "min": values.min().map(Value.number) ?? .null,
            "breached": .bool(latest.map { breaches($0.value) } ?? false),
            "breaching": .number(Double(breaching.count)),
        ]
    }

    /// Whether `value` is beyond the threshold; never without one.
    private func breaches(_ value: Double) -> Bool {
        guard let threshold else { return false }
        return breachesAbove ? value > threshold : value < threshold
    }

    /// One entry of `MetricDataQueries`.
    struct DataQuery: Encodable, Sendable {
        var id: String
        var stat: Stat
        var returnData = true

        enum CodingKeys: String, CodingKey {
            case id = "Id", stat = "MetricStat", returnData = "ReturnData"
        }

        /// `MetricStat`: the metric, the period and the statistic.
        struct Stat: Encodable, Sendable {
            var metric: Metric
            var period: Int
            var stat: String

            enum CodingKeys: String, CodingKey {
                case metric = "Metric", period = "Period", stat = "Stat"
            }
        }

        /// `Metric`: the namespace, the name and the dimensions.
        struct Metric: Encodable, Sendable {
            var namespace: String
            var name: String
            var dimensions: [Dimension]

            enum CodingKeys: String, CodingKey {
                case namespace = "Namespace", name = "MetricName", dimensions = "Dimensions"
            }
        }

        /// One dimension.
        struct Dimension: Encodable, Sendable {
            var name: String
            var value: String

            enum CodingKeys: String, CodingKey {
                case name = "Name", value = "Value"
            }
        }
    }
}
