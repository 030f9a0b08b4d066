extension ActionCatalog {
    /// The CloudWatch metrics actions.
    static let cloudWatch: [ActionSpec] = [
        ActionSpec(
            name: "cloudwatch.metric", summary: "Reads one CloudWatch metric's datapoints (GetMetricData).",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [
                .required("namespace", .string, "The metric's namespace, e.g. 'AWS/ApplicationELB'."),
                .required("metric", .string, "The metric's name, e.g. 'TargetResponseTime'."),
                .optional("dimensions", .stringMap, "The metric's dimensions, by name."),
                .optional("statistic", .string, "Average, Sum, Minimum, Maximum, SampleCount or a percentile "
                    + "such as 'p99'.", default: "Average"),
                .optional("period", .duration, "The length of one datapoint: 1s, 5s, 10s, 30s or whole minutes.",
                          default: "1m"),
                .optional("window", .duration, "How far back to read.", default: "15m"),
                .optional("threshold", .string, "A number the datapoints are compared with."),
                .optional("breach_when", .oneOf(["above", "below"]),
                          "Whether a value above or below the threshold breaches it.", default: "above"),
            ],
            outputs: [
                OutputSpec("datapoints", "Each datapoint, {timestamp, value}, oldest first."),
                OutputSpec("count", "Datapoints read."),
                OutputSpec("latest", "The newest datapoint's value; null when there is none."),
                OutputSpec("latest_at", "The newest datapoint's time; null when there is none."),
                OutputSpec("max", "The largest value; null when there is none."),
                OutputSpec("min", "The smallest value; null when there is none."),
                OutputSpec("breached", "Whether the newest datapoint breaches the threshold."),
                OutputSpec("breaching", "How many datapoints breach the threshold."),
            ]),
    ]
}
