import Foundation
import RunbookLanguage

/// A CloudWatch alarm's state change, as SNS carries it in a notification's `Message`.
struct CloudWatchAlarm {
    /// The alarm's states.
    enum State: String, CaseIterable {
        case alarm = "ALARM", ok = "OK", insufficientData = "INSUFFICIENT_DATA"
    }

    private let message: PayloadNode
    private let topicArn: String

    /// Reads the alarm in `message`, delivered through the SNS topic `topicArn`.
    init(_ message: PayloadNode, topicArn: String) {
        self.message = message
        self.topicArn = topicArn
    }

    /// The alert: firing for `ALARM` and `INSUFFICIENT_DATA` (which only a trigger matching that state starts),
    /// resolved for `OK`.
    func alert() throws(AlertPayloadError) -> Alert {
        let name = try message.member("AlarmName").string()
        let stateNode = try message.member("NewStateValue")
        let stateText = try stateNode.string()
        guard let state = State(rawValue: stateText) else {
            let states = State.allCases.map(\.rawValue).joined(separator: ", ")
            throw stateNode.error("'\(stateText)' is not an alarm state (\(states))")
        }
        let changed = try message.member("StateChangeTime").timestamp()
        let arn = try message.member("AlarmArn").nonEmptyString()
        var labels = ["alarm_name": name, "state": state.rawValue]
        labels["region"] = try region(alarmArn: arn)
        labels["account"] = try message.member("AWSAccountId").nonEmptyString() ?? arn.flatMap { Self.arnField($0, 4) }
        let trigger = try message.member("Trigger")
        labels["namespace"] = try trigger.member("Namespace").nonEmptyString()
        labels["metric_name"] = try trigger.member("MetricName").nonEmptyString()
        for dimension in try trigger.member("Dimensions").optionalElements() {
            labels["dim_" + (try dimension.member("name").string())] = try dimension.member("value").string()
        }
        var annotations: [String: String] = [:]
        annotations["description"] = try message.member("AlarmDescription").nonEmptyString()
        annotations["reason"] = try message.member("NewStateReason").nonEmptyString()
        return Alert(
            source: .cloudwatch, status: state == .ok ? .resolved : .firing, labels: labels, annotations: annotations,
            startsAt: changed, endsAt: state == .ok ? changed : nil, fingerprint: arn ?? name)
    }

    /// The region code (`eu-west-1`): from the alarm's ARN, else the topic's; else the message's `Region`, which
    /// is a display name such as `EU (Ireland)`.
    private func region(alarmArn: String?) throws(AlertPayloadError) -> String? {
        if let code = alarmArn.flatMap({ Self.arnField($0, 3) }) ?? Self.arnField(topicArn, 3) { return code }
        return try message.member("Region").nonEmptyString()
    }

    /// Field `index` of `arn:partition:service:region:account:resource`, when not empty.
    private static func arnField(_ arn: String, _ index: Int) -> String? {
        let fields = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count > index, fields[0] == "arn", !fields[index].isEmpty else { return nil }
        return String(fields[index])
    }
}
