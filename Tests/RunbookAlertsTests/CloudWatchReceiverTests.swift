import Foundation
import RunbookAlerts
import RunbookLanguage
import Testing

/// CloudWatch alarms through SNS HTTP deliveries, and subscription confirmation checks.
@Suite struct CloudWatchReceiverTests {
    let receiver = CloudWatchReceiver(allowedTopics: fixtureTopics)
    let alarm = "aws-sns-http-cloudwatch-alarm-ALARM-alerta.json"
    let confirmation = "aws-sns-http-subscription-confirmation-alerta.json"

    /// The fixture's notification with its alarm message changed by `change`.
    func notification(_ change: @escaping (inout [String: Any]) throws -> Void) -> (inout [String: Any]) throws -> Void {
        { envelope in
            let text = try #require(envelope["Message"] as? String)
            var message = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            try change(&message)
            envelope["Message"] = String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)
        }
    }

    @Test func okResolvesAndTheAlarmArnGivesFingerprintRegionAndAccount() throws {
        let arn = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:bucketbytesAlarm"
        let alerts = try alerts(receiver, fixture: alarm, change: notification {
            $0["NewStateValue"] = "OK"
            $0["AlarmArn"] = arn
            $0["AWSAccountId"] = nil
        })
        let alert = try #require(alerts.first)
        #expect(alert.status == .resolved)
        #expect(alert.endsAt == alert.startsAt)
        #expect(alert.fingerprint == arn)
        #expect(alert.labels["region"] == "us-east-1")
        #expect(alert.labels["account"] == "111122223333")
        #expect(alert.key == AlertKey(source: .cloudwatch, fingerprint: arn))
    }

    @Test func anAlarmWithoutTriggerHasOnlyItsOwnLabels() throws {
        let alerts = try alerts(receiver, fixture: alarm, change: notification {
            $0["Trigger"] = nil
            $0["AlarmDescription"] = NSNull()
        })
        #expect(alerts.first?.labels == [
            "alarm_name": "bucketbytesAlarm", "state": "ALARM", "region": "eu-west-1", "account": "1234567890",
        ])
        #expect(alerts.first?.annotations.keys.sorted() == ["reason"])
    }

    @Test func alarmFieldsAreNamedInsideMessage() throws {
        let state = try payloadError(receiver, fixture: alarm, change: notification { $0["NewStateValue"] = "BROKEN" })
        #expect(state.message == "Message.NewStateValue: 'BROKEN' is not an alarm state (ALARM, OK, INSUFFICIENT_DATA)")
        let name = try payloadError(receiver, fixture: alarm, change: notification { $0["AlarmName"] = nil })
        #expect(name.message == "Message.AlarmName: missing")
        let dimension = try payloadError(receiver, fixture: alarm, change: notification {
            $0["Trigger"] = ["Dimensions": [["name": "TopicName"]]]
        })
        #expect(dimension.message == "Message.Trigger.Dimensions[0].value: missing")
        let time = try payloadError(receiver, fixture: alarm, change: notification {
            $0["StateChangeTime"] = "15/02/19 23:53"
        })
        #expect(time.field == "Message.StateChangeTime")
    }

    @Test func aTopicThatIsNotAllowedIsRefused() throws {
        let strict = CloudWatchReceiver(allowedTopics: SNSTopicAllowList(["arn:aws:sns:eu-west-1:1234567890:other"]))
        let error = try payloadError(strict, fixture: alarm) { _ in }
        #expect(error.message == "TopicArn: 'arn:aws:sns:eu-west-1:1234567890:alerta-test' is not an allowed topic; "
                + "allow it in the server's configuration")
    }

    @Test func theMessageTypeHeaderMustAgreeWithTheBody() throws {
        let body = try AlertFixtures.data(alarm)
        let error = try #require(throws: AlertPayloadError.self) {
            try receiver.receive(body: body, headers: ["x-amz-sns-message-type": "SubscriptionConfirmation"])
        }
        #expect(error.message == "Type: 'Notification' contradicts the x-amz-sns-message-type header "
                + "'SubscriptionConfirmation'")
        let unknown = try payloadError(receiver, fixture: alarm) { try set(&$0, ["Type"], to: "Telegram") }
        #expect(unknown.field == "Type")
    }

    @Test func anUnsubscribeConfirmationIsIgnored() throws {
        let body = try body(fixture: confirmation) { try set(&$0, ["Type"], to: "UnsubscribeConfirmation") }
        #expect(try receiver.receive(body: body, headers: WebhookHeaders())
                == .ignored("SNS unsubscribe confirmation for topic arn:aws:sns:eu-west-1:1234567890:alerta-test"))
    }

    @Test func anAllowedSubscriptionGivesItsConfirmationURL() throws {
        let request = try confirmationRequest()
        let url = try fixtureTopics.confirmationURL(for: request)
        #expect(url.absoluteString == request.subscribeURL)
        #expect(url.host == "sns.eu-west-1.amazonaws.com")
    }

    @Test func unsafeConfirmationsAreRefused() throws {
        let request = try confirmationRequest()
        let other = SNSTopicAllowList(["arn:aws:sns:eu-west-1:1234567890:other"])
        let refusal = try #require(throws: SNSConfirmationRefusal.self) { try other.confirmationURL(for: request) }
        #expect(refusal.message.contains("the topic is not allowed"))
        let tokens = request.subscribeURL.replacingOccurrences(of: "https://sns.eu-west-1.amazonaws.com/", with: "")
        for url in [
            "http://sns.eu-west-1.amazonaws.com/" + tokens,
            "https://sns.eu-west-1.amazonaws.com.attacker.example/" + tokens,
            "https://sns.us-east-1.amazonaws.com/" + tokens,
            "https://169.254.169.254/latest/meta-data/" + tokens,
            "https://sns.eu-west-1.amazonaws.com:8443/" + tokens,
            "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&TopicArn=" + request.topicArn,
            "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:1:x",
        ] {
            var changed = request
            changed.subscribeURL = url
            #expect(throws: SNSConfirmationRefusal.self, "\(url)") { try fixtureTopics.confirmationURL(for: changed) }
        }
    }

    private func confirmationRequest() throws -> SNSSubscriptionConfirmation {
        guard case .subscriptionConfirmation(let request) = try receive(fixture: confirmation).get() else {
            throw FixtureMissing(path: "a subscription confirmation in \(confirmation)")
        }
        return request
    }
}
