import RunbookAlerts
import RunbookLanguage

extension Trigger {
    /// Whether `alert` satisfies this trigger: the same source, every `match` label equal, every `match_re` label
    /// matching its regular expression as a whole. A label the alert lacks counts as the empty string, as in
    /// Alertmanager's matchers. A CloudWatch alarm in `INSUFFICIENT_DATA` satisfies only a trigger whose `match`
    /// names that state.
    public func matches(_ alert: Alert) -> Bool {
        guard source == alert.source else { return false }
        if alert.source == .cloudwatch, alert.labels["state"] == Self.insufficientData,
           match["state"] != Self.insufficientData {
            return false
        }
        for (name, value) in match where (alert.labels[name] ?? "") != value { return false }
        for (name, pattern) in matchRegex {
            guard case .success(true) = PatternMatcher.matchesWhole(pattern, in: alert.labels[name] ?? "") else {
                return false
            }
        }
        return true
    }

    /// The CloudWatch state that starts only the triggers naming it.
    static let insufficientData = "INSUFFICIENT_DATA"
}
