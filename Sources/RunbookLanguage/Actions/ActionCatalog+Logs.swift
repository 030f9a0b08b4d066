extension ActionCatalog {
    /// The CloudWatch Logs actions.
    static let cloudWatchLogs: [ActionSpec] = [
        ActionSpec(
            name: "logs.tail", summary: "Reads a CloudWatch Logs group's recent events, newest last.",
            mutating: false, defaultTimeout: .seconds(120),
            parameters: [
                .required("group", .string, "The log group."),
                .optional("stream_prefix", .string, "Only streams whose names start with this."),
                .optional("filter_pattern", .string, "A CloudWatch Logs filter pattern."),
                .optional("since", .duration, "How far back to read.", default: "15m"),
                .optional("lines", .int, "The most lines to return.", default: 100),
            ],
            outputs: [OutputSpec("lines", "The lines, as a list."), OutputSpec("text", "The lines, as text.")]),
    ]
}
