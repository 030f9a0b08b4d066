import Foundation
import RunbookAlerts
import RunbookLanguage
import Testing

/// What one fixture must produce. Instants are seconds since 1970 and nanoseconds, computed outside Swift with
/// Python's `datetime.fromisoformat`; label fingerprints with Python's `hashlib.sha256` over the documented recipe.
struct FixtureExpectation: Sendable, CustomTestStringConvertible {
    /// What the receiver returns.
    enum Outcome: Sendable {
        case alerts(count: Int, checked: [Int: ExpectedAlert])
        case confirmation(topic: String, urlPrefix: String)
        case error(field: String, problemPrefix: String)
    }

    let file: String
    let outcome: Outcome

    var testDescription: String { file }
}

/// The fields of one produced alert that a test checks.
struct ExpectedAlert: Sendable {
    let status: Alert.Status
    let labels: [String: String]
    let startsAt: Instant
    let endsAt: Instant?
    let fingerprint: String
    var annotations: [String: String] = [:]
}

/// An exact instant as seconds and nanoseconds since 1970-01-01T00:00:00Z.
struct Instant: Sendable, CustomStringConvertible {
    let seconds: Int
    let nanoseconds: Int

    init(_ seconds: Int, _ nanoseconds: Int = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Whether `date` is this instant, to the microsecond (a `Date` is a Double: about 0.2 µs apart today).
    func matches(_ date: Date) -> Bool {
        abs(date.timeIntervalSince1970 - (Double(seconds) + Double(nanoseconds) / 1e9)) < 1e-6
    }

    var description: String { "\(seconds).\(nanoseconds)" }
}

extension FixtureExpectation {
    /// One expectation per file in the fixtures folder (`everyFixtureHasAnExpectation` checks the list is complete).
    static let all: [FixtureExpectation] = [
        .init(file: "alertmanager-firing-alerta-prometheus_v4_alert.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .firing, labels: ["alertname": "thing_dead", "severity": "critical"],
                startsAt: Instant(1_501_787_857, 804_000_000), endsAt: nil,
                fingerprint: "88a58743fbadbfd9024b68bb826de0e111d1e09ec7f17f4df486d2cee6e73aec",
                annotations: ["summary": "No things for over 10 minutes"]),
        ])),
        .init(file: "alertmanager-firing-docsrs-alertmanager-webhook-types-sample-v4.json", outcome: .alerts(
            count: 1, checked: [
                0: ExpectedAlert(
                    status: .firing,
                    labels: ["alertname": "ProbeFailure", "instance": "https://server.example.org", "job": "http_checks"],
                    startsAt: Instant(1_675_688_925, 828_000_000), endsAt: nil, fingerprint: "1a30ba71cca2921f"),
            ])),
        // No per-alert status: the group's "firing" applies. 9 fractional digits and a -05:00 offset.
        .init(file: "alertmanager-firing-minimal-prometheus-msteams.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .firing,
                labels: ["alertname": "high_memory_load", "instance": "instance-with-hyphen_and_underscore"],
                startsAt: Instant(1_520_422_401, 873_077_559), endsAt: nil,
                fingerprint: "de85d11547419ab3b9c25b4dc7be095d5d14a237595caf8cbc863b6251049bcc"),
        ])),
        .init(file: "alertmanager-firing-multi-calert-mock_payload.json", outcome: .alerts(count: 31, checked: [
            0: ExpectedAlert(
                status: .firing, labels: ["alertname": "DeadManAnotherSwitch", "room": "dev_alerts"],
                startsAt: Instant(1_645_008_045, 228_000_000), endsAt: nil, fingerprint: "1a956348d0570965"),
            30: ExpectedAlert(
                status: .firing, labels: ["alertname": "DeadManSwitch", "monitor": "docker-host-alpha"],
                startsAt: Instant(1_645_008_045, 228_000_000), endsAt: nil, fingerprint: "9bbc9bf3bcb8bf9c"),
        ])),
        .init(file: "alertmanager-firing-multi-zulip-alert.json", outcome: .alerts(count: 2, checked: [
            0: ExpectedAlert(
                status: .firing, labels: ["alertname": "High CPU Temperature", "host": "andromeda"],
                startsAt: Instant(1_580_948_278, 432_911_368), endsAt: nil, fingerprint: "a1bc48475b20e73d",
                annotations: ["description": "CPU core temperature is 34.75C"]),
            1: ExpectedAlert(
                status: .firing, labels: ["alertname": "High CPU Temperature", "severity": "critical"],
                startsAt: Instant(1_580_948_278, 432_911_368), endsAt: nil, fingerprint: "c2ea85182f28cbd9",
                annotations: ["description": "CPU core temperature is 17.625C"]),
        ])),
        // Neither the alert nor the group has a status, and the labels have no alertname.
        .init(file: "alertmanager-invalid-missing-status-alertname-prom2teams.json",
              outcome: .error(field: "alerts[0].status", problemPrefix: "missing")),
        .init(file: "alertmanager-resolved-multi-prom2teams-all_ok_multiple.json", outcome: .alerts(count: 2, checked: [
            0: ExpectedAlert(
                status: .resolved, labels: ["alertname": "DiskSpace", "instance": "cs30.evilcorp"],
                startsAt: Instant(1_494_313_297, 803_000_000), endsAt: Instant(1_494_313_717, 818_000_000),
                fingerprint: "dd19ae3d4e06ac55"),
            1: ExpectedAlert(
                status: .resolved, labels: ["alertname": "DiskSpace", "instance": "cs31.evilcorp"],
                startsAt: Instant(1_494_313_297, 803_000_000), endsAt: Instant(1_494_313_717, 818_270_000),
                fingerprint: "dd19ae3d4e06ac55"),
        ])),
        .init(file: "alertmanager-resolved-prom2teams-with_common_items.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .resolved, labels: ["alertname": "CPUThrottlingHigh", "namespace": "monitoring"],
                startsAt: Instant(1_548_707_183, 868_893_000), endsAt: Instant(1_548_707_243, 868_893_000),
                fingerprint: "dd19ae3d4e06ac55"),
        ])),
        // Version 3 (before Alertmanager 0.6, numeric groupKey): same alert fields, read the same way.
        .init(file: "alertmanager-v3-legacy-firing-alerta.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .firing, labels: ["alertname": "failedConnect", "instance": "host2", "__name__": "ping_success"],
                startsAt: Instant(1_470_047_228, 8_000_000), endsAt: nil,
                fingerprint: "3e803541e84aab6bf9fc077d17c8391d4a3063a0501abb740bed2b3f63bcd8f7"),
        ])),
        .init(file: "aws-sns-http-cloudwatch-alarm-ALARM-alerta.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .firing,
                labels: [
                    "alarm_name": "bucketbytesAlarm", "state": "ALARM", "region": "eu-west-1", "account": "1234567890",
                    "namespace": "AWS/S3", "metric_name": "BucketSizeBytes", "dim_StorageType": "StandardStorage",
                    "dim_BucketName": "try.alerta.io",
                ],
                startsAt: Instant(1_550_274_825, 93_000_000), endsAt: nil, fingerprint: "bucketbytesAlarm",
                annotations: ["description": "bucket bytes size exceeded"]),
        ])),
        .init(file: "aws-sns-http-cloudwatch-alarm-INSUFFICIENT_DATA-alerta.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .firing,
                labels: [
                    "alarm_name": "notificationCountAlarm", "state": "INSUFFICIENT_DATA", "namespace": "AWS/SNS",
                    "metric_name": "NumberOfNotificationsDelivered", "dim_TopicName": "alerta-test",
                ],
                startsAt: Instant(1_557_736_903, 548_000_000), endsAt: nil, fingerprint: "notificationCountAlarm",
                annotations: ["reason": "Insufficient Data: 10 datapoints were unknown."]),
        ])),
        // The AWS documentation's example notification: its Message is plain text, not an alarm.
        .init(file: "aws-sns-http-notification.http", outcome: .error(field: "Message", problemPrefix: "not JSON")),
        .init(file: "aws-sns-http-notification.json", outcome: .error(field: "Message", problemPrefix: "not JSON")),
        .init(file: "aws-sns-http-subscription-confirmation-alerta.json", outcome: .confirmation(
            topic: "arn:aws:sns:eu-west-1:1234567890:alerta-test",
            urlPrefix: "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=")),
        .init(file: "grafana-webhook-firing-docs.json", outcome: .alerts(count: 2, checked: [
            0: ExpectedAlert(
                status: .firing, labels: ["alertname": "High memory usage", "team": "blue", "zone": "us-1"],
                startsAt: Instant(1_634_025_063, 157_076_000), endsAt: nil, fingerprint: "c6eadffa33fcdf37",
                annotations: ["runbook_url": "https://myrunbook.com/runbook/1234"]),
            1: ExpectedAlert(
                status: .firing, labels: ["alertname": "High CPU usage", "zone": "eu-1"],
                startsAt: Instant(1_634_025_363, 157_076_000), endsAt: nil, fingerprint: "bc97ff14869b13e3"),
        ])),
        .init(file: "grafana-webhook-firing-v11-values-zulip-alert_values_v11.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .firing, labels: ["alertname": "Memory (copy)", "grafana_folder": "device", "debug": "true"],
                startsAt: Instant(1_709_258_940), endsAt: nil, fingerprint: "e6349a25f5ef0e9e"),
        ])),
        .init(file: "grafana-webhook-resolved-v9-zulip-alert-9-resolved.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .resolved, labels: ["alertname": "Test alert", "test": "true"],
                startsAt: Instant(1_655_426_460, 782_137_894), endsAt: Instant(1_655_427_084, 67_337_833),
                fingerprint: "d8a21484c9c25a60"),
        ])),
        .init(file: "pagerduty-webhook-v3-incident.resolved-zulip.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .resolved,
                labels: [
                    "event_type": "incident.resolved", "incident_id": "PCPZE64", "title": "Test Incident",
                    "service": "pig208", "urgency": "high", "status": "resolved",
                ],
                startsAt: Instant(1_622_812_613, 816_000_000), endsAt: Instant(1_622_812_613, 816_000_000),
                fingerprint: "PCPZE64"),
        ])),
        .init(file: "pagerduty-webhook-v3-incident.triggered-zulip.json", outcome: .alerts(count: 1, checked: [
            0: ExpectedAlert(
                status: .firing,
                labels: [
                    "event_type": "incident.triggered", "incident_id": "PFQZPSY", "title": "Test Incident 3",
                    "service": "pig208", "urgency": "high", "status": "triggered",
                ],
                startsAt: Instant(1_622_813_729, 781_000_000), endsAt: nil, fingerprint: "PFQZPSY",
                annotations: ["html_url": "https://pig208.pagerduty.com/incidents/PFQZPSY"]),
        ])),
    ]
}
