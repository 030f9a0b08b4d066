import Foundation
import RunbookAlerts
import Testing

/// Grafana unified alerting's webhook.
@Suite struct GrafanaReceiverTests {
    let receiver = GrafanaReceiver()

    @Test func nullValuesAndUnknownKeysAreTolerated() throws {
        let alerts = try alerts(receiver, fixture: "grafana-webhook-firing-docs.json") {
            try set(&$0, ["alerts", 0, "values"], to: NSNull())
            try set(&$0, ["alerts", 1, "values"], to: nil)
            try set(&$0, ["alerts", 0, "imageURL"], to: "https://grafana.example.com/a.png")
        }
        #expect(alerts.map(\.fingerprint) == ["c6eadffa33fcdf37", "bc97ff14869b13e3"])
    }

    @Test func anotherVersionIsRefused() throws {
        let error = try payloadError(receiver, fixture: "grafana-webhook-firing-docs.json") {
            try set(&$0, ["version"], to: "2")
        }
        #expect(error.message == "version: '2' is not supported; Grafana's unified alerting webhook sends version '1'")
    }

    @Test func legacyAlertingIsRefusedWithTheReason() throws {
        // The shape of Grafana's legacy (pre-8) alerting webhook.
        let body = Data(#"{"ruleName":"Panel Title alert","state":"alerting","evalMatches":[],"ruleId":1}"#.utf8)
        let error = try #require(throws: AlertPayloadError.self) {
            try receiver.receive(body: body, headers: WebhookHeaders())
        }
        #expect(error.field == "alerts")
        #expect(error.problem.contains("legacy Grafana alerting"))
    }

    @Test func anAlertWithoutStartsAtIsRefused() throws {
        let error = try payloadError(receiver, fixture: "grafana-webhook-resolved-v9-zulip-alert-9-resolved.json") {
            try set(&$0, ["alerts", 0, "startsAt"], to: nil)
        }
        #expect(error.message == "alerts[0].startsAt: missing")
    }
}
