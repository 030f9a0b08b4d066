import Foundation
import RunbookAlerts
import Testing

/// Alertmanager's webhook: what is refused, and what is tolerated.
@Suite struct AlertmanagerReceiverTests {
    let receiver = AlertmanagerReceiver()

    @Test func anAlertWithAStatusButNoAlertnameNamesTheLabel() throws {
        let error = try payloadError(receiver, fixture: "alertmanager-invalid-missing-status-alertname-prom2teams.json") {
            try set(&$0, ["alerts", 0, "status"], to: "firing")
        }
        #expect(error.message == "alerts[0].labels.alertname: missing")
    }

    @Test func anAlertWithoutLabelsNamesItsIndex() throws {
        let error = try payloadError(receiver, fixture: "alertmanager-firing-multi-zulip-alert.json") {
            try set(&$0, ["alerts", 1, "labels"], to: nil)
        }
        #expect(error.message == "alerts[1].labels: missing")
        #expect(error.description == "invalid alertmanager payload: alerts[1].labels: missing")
    }

    @Test func wrongTypesAndValuesAreNamed() throws {
        let fixture = "alertmanager-firing-alerta-prometheus_v4_alert.json"
        let cases: [([any Sendable], Any?, String)] = [
            (["alerts", 0, "labels", "severity"], 3, "alerts[0].labels.severity: expected a string, found number"),
            (["alerts", 0, "status"], "pending", "alerts[0].status: 'pending' is not 'firing' or 'resolved'"),
            (["alerts", 0, "startsAt"], "2017-08-03 15:17:37", "alerts[0].startsAt: '2017-08-03 15:17:37' is not an "
                + "RFC 3339 time such as 2026-11-22T10:04:05.123Z"),
            (["alerts", 0, "startsAt"], nil, "alerts[0].startsAt: missing"),
            (["alerts"], ["not": "a list"], "alerts: expected a list, found object"),
            (["version"], "5", "version: '5' is not supported; Alertmanager's webhook sends version '4'"),
        ]
        for (path, value, message) in cases {
            let error = try payloadError(receiver, fixture: fixture) { try set(&$0, path, to: value) }
            #expect(error.message == message)
        }
    }

    @Test func aBodyThatIsNotAJSONObjectIsRefused() throws {
        let notJSON = try #require(throws: AlertPayloadError.self) {
            try receiver.receive(body: Data("status=firing".utf8), headers: WebhookHeaders())
        }
        #expect(notJSON.field == "body")
        #expect(notJSON.problem.hasPrefix("not JSON ("))
        let list = try #require(throws: AlertPayloadError.self) {
            try receiver.receive(body: Data("[]".utf8), headers: WebhookHeaders())
        }
        #expect(list.message == "body: expected a JSON object, found array")
    }

    @Test func unknownKeysNullAnnotationsAndAMissingVersionAreTolerated() throws {
        let alerts = try alerts(receiver, fixture: "alertmanager-firing-alerta-prometheus_v4_alert.json") {
            try set(&$0, ["version"], to: nil)
            try set(&$0, ["x-new-field"], to: ["nested": [1, 2]])
            try set(&$0, ["alerts", 0, "annotations"], to: NSNull())
            try set(&$0, ["alerts", 0, "fingerprint"], to: "")
        }
        #expect(alerts.count == 1)
        #expect(alerts.first?.annotations == [:])
        #expect(alerts.first?.fingerprint == Alert.labelFingerprint(of: ["alertname": "thing_dead", "severity": "critical"]))
    }

    @Test func aResolvedAlertInAFiringGroupKeepsItsOwnStatus() throws {
        let alerts = try alerts(receiver, fixture: "alertmanager-firing-multi-zulip-alert.json") {
            try set(&$0, ["alerts", 1, "status"], to: "resolved")
            try set(&$0, ["alerts", 1, "endsAt"], to: "2020-02-06T00:27:58+01:00")
        }
        #expect(alerts.map(\.status) == [.firing, .resolved])
        #expect(alerts[1].endsAt == Date(timeIntervalSince1970: 1_580_945_278))
    }

    @Test func anEmptyGroupHasNoAlerts() throws {
        let alerts = try alerts(receiver, fixture: "alertmanager-firing-multi-zulip-alert.json") {
            try set(&$0, ["alerts"], to: [Any]())
        }
        #expect(alerts.isEmpty)
    }
}
