import Foundation
import RunbookLanguage

/// Reads the `alerts` list of a notification group, the part Alertmanager's webhook and Grafana's (which copies
/// it) share: per alert `status`, `labels`, `annotations`, `startsAt`, `endsAt`, `fingerprint`.
struct AlertGroupReader {
    /// The format being read.
    let source: AlertSource

    /// Go's zero time, which Alertmanager and Grafana send as `endsAt` of an alert that still fires.
    static let zeroTime = Date(timeIntervalSince1970: -62_135_596_800)

    /// Every alert of the group, in the order sent.
    func alerts(in root: PayloadNode) throws(AlertPayloadError) -> [Alert] {
        let groupStatus = try root.member("status")
        var alerts: [Alert] = []
        for node in try root.member("alerts").elements() {
            alerts.append(try alert(node, groupStatus: groupStatus))
        }
        return alerts
    }

    /// One alert; its status is the group's when it has none of its own.
    private func alert(_ node: PayloadNode, groupStatus: PayloadNode) throws(AlertPayloadError) -> Alert {
        let ownStatus = try node.member("status")
        let statusNode = ownStatus.isAbsent ? groupStatus : ownStatus
        guard let statusText = try statusNode.optionalString() else {
            throw ownStatus.error("missing (neither the alert nor the group has a status)")
        }
        guard let status = Alert.Status(rawValue: statusText) else {
            throw statusNode.error("'\(statusText)' is not 'firing' or 'resolved'")
        }
        let labelsNode = try node.member("labels")
        let labels = try labelsNode.stringMap(required: true)
        guard labels["alertname"] != nil else { throw try labelsNode.member("alertname").error("missing") }
        let endsAt = try node.member("endsAt").optionalTimestamp()
        return Alert(
            source: source, status: status, labels: labels,
            annotations: try node.member("annotations").stringMap(required: false),
            startsAt: try node.member("startsAt").timestamp(),
            endsAt: endsAt == Self.zeroTime ? nil : endsAt,
            fingerprint: try node.member("fingerprint").nonEmptyString())
    }
}
