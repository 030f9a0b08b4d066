import Foundation
import RunbookAlerts
import Testing

/// PagerDuty V3 webhooks.
@Suite struct PagerDutyReceiverTests {
    let receiver = PagerDutyReceiver()
    let triggered = "pagerduty-webhook-v3-incident.triggered-zulip.json"

    @Test func otherEventTypesAreIgnored() throws {
        let body = try body(fixture: triggered) { try set(&$0, ["event", "event_type"], to: "incident.acknowledged") }
        let delivery = try receiver.receive(body: body, headers: WebhookHeaders())
        #expect(delivery == .ignored("PagerDuty event 'incident.acknowledged' neither triggers nor resolves an incident"))
    }

    @Test func priorityIsItsSummary() throws {
        let prioritized = try alerts(receiver, fixture: triggered) {
            try set(&$0, ["event", "data", "priority"], to: ["id": "PSO2WN2", "summary": "P1", "type": "priority_reference"])
        }
        #expect(prioritized.first?.labels["priority"] == "P1")
        let without = try alerts(fixture: triggered)
        #expect(without.first?.labels["priority"] == nil)
    }

    @Test func missingFieldsAreNamed() throws {
        let noID = try payloadError(receiver, fixture: triggered) { try set(&$0, ["event", "data", "id"], to: nil) }
        #expect(noID.message == "event.data.id: missing")
        let noTime = try payloadError(receiver, fixture: triggered) { try set(&$0, ["event", "occurred_at"], to: nil) }
        #expect(noTime.message == "event.occurred_at: missing")
        let badData = try payloadError(receiver, fixture: triggered) { try set(&$0, ["event", "data"], to: "PFQZPSY") }
        #expect(badData.message == "event.data: expected an object, found string")
    }

    @Test func aV2WebhookIsRefusedWithTheReason() throws {
        let body = Data(#"{"messages":[{"event":"incident.trigger","incident":{"id":"PIJ90N7"}}]}"#.utf8)
        let error = try #require(throws: AlertPayloadError.self) {
            try receiver.receive(body: body, headers: WebhookHeaders())
        }
        #expect(error.message == "event: missing: this is a V2 webhook (messages); add a V3 webhook subscription")
    }
}
