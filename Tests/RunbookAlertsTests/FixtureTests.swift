import Foundation
import RunbookAlerts
import RunbookLanguage
import Testing

/// Every real payload in the fixtures folder, read by its source's receiver.
@Suite struct FixtureTests {
    @Test func everyFixtureHasAnExpectation() throws {
        let names = try AlertFixtures.names()
        #expect(!names.isEmpty)
        #expect(Set(names) == Set(FixtureExpectation.all.map(\.file)),
                "a fixture was added or removed: add or remove its expectation in FixtureExpectation.all")
    }

    @Test(arguments: FixtureExpectation.all)
    func fixtureProducesTheExpectedOutcome(_ expectation: FixtureExpectation) throws {
        let result = try receive(fixture: expectation.file)
        switch expectation.outcome {
        case .alerts(let count, let checked):
            let alerts = try alerts(in: try result.get())
            #expect(alerts.count == count)
            let source = try receiver(forFixture: expectation.file).source
            #expect(alerts.allSatisfy { $0.source == source })
            for (index, expected) in checked.sorted(by: { $0.key < $1.key }) {
                let alert = try #require(alerts.indices.contains(index) ? alerts[index] : nil, "no alert \(index)")
                #expect(alert.status == expected.status, "alert \(index)")
                for (name, value) in expected.labels {
                    #expect(alert.labels[name] == value, "alert \(index) label \(name)")
                }
                for (name, value) in expected.annotations {
                    #expect(alert.annotations[name] == value, "alert \(index) annotation \(name)")
                }
                #expect(expected.startsAt.matches(alert.startsAt),
                        "alert \(index) starts at \(alert.startsAt.timeIntervalSince1970), not \(expected.startsAt)")
                if let endsAt = expected.endsAt {
                    #expect(alert.endsAt.map(endsAt.matches) == true, "alert \(index) ends at \(String(describing: alert.endsAt))")
                } else {
                    #expect(alert.endsAt == nil, "alert \(index) still fires")
                }
                #expect(alert.fingerprint == expected.fingerprint, "alert \(index)")
            }
        case .confirmation(let topic, let urlPrefix):
            guard case .subscriptionConfirmation(let confirmation) = try result.get() else {
                Issue.record("expected a subscription confirmation, got \(result)")
                return
            }
            #expect(confirmation.topicArn == topic)
            #expect(confirmation.subscribeURL.hasPrefix(urlPrefix))
        case .error(let field, let problemPrefix):
            guard case .failure(let error) = result else {
                Issue.record("expected an error on \(field), got \(result)")
                return
            }
            #expect(error.field == field)
            #expect(error.problem.hasPrefix(problemPrefix), "\(error)")
            #expect(error.description.hasPrefix("invalid \(error.source.rawValue) payload: \(field): "))
        }
    }

    @Test func theSNSRequestFileIsReadAsARealRequest() throws {
        let (headers, body) = try AlertFixtures.request("aws-sns-http-notification.http")
        #expect(headers["X-Amz-Sns-Message-Type"] == "Notification")
        #expect(headers["x-amz-sns-topic-arn"] == "arn:aws:sns:us-west-2:123456789012:MyTopic")
        #expect(body == (try AlertFixtures.data("aws-sns-http-notification.json")))
    }

    @Test func repeatedDeliveriesOfOneAlertShareAKey() throws {
        let group = try alerts(fixture: "alertmanager-firing-multi-calert-mock_payload.json")
        #expect(Set(group.map(\.key)) == [
            AlertKey(source: .alertmanager, fingerprint: "1a956348d0570965"),
            AlertKey(source: .alertmanager, fingerprint: "9bbc9bf3bcb8bf9c"),
        ])
        let firing = try alerts(fixture: "pagerduty-webhook-v3-incident.triggered-zulip.json")
        #expect(firing.map(\.key.description) == ["pagerduty/PFQZPSY"])
    }

    @Test func theAlertContextHasTheDocumentedFields() throws {
        let alert = try #require(try alerts(fixture: "alertmanager-firing-minimal-prometheus-msteams.json").first)
        #expect(alert.contextValue == [
            "labels": [
                "alertname": "high_memory_load", "instance": "instance-with-hyphen_and_underscore",
                "job": "docker_nodes", "monitor": "master", "severity": "warning",
            ],
            "annotations": [
                "description": "10.80.40.11 reported high memory usage with 23.28%.",
                "summary": "Server High Memory usage",
            ],
            "starts_at": "2018-03-07T11:33:21.873Z",
            "source": "alertmanager",
            "fingerprint": "de85d11547419ab3b9c25b4dc7be095d5d14a237595caf8cbc863b6251049bcc",
            "status": "firing",
        ])
    }

    @Test func labelFingerprintIsTheSHA256OfTheSortedLabels() {
        // Computed with Python: hashlib.sha256(b"alertname\xffthing_dead\xffseverity\xffcritical\xff").hexdigest()
        #expect(Alert.labelFingerprint(of: ["severity": "critical", "alertname": "thing_dead"])
                == "88a58743fbadbfd9024b68bb826de0e111d1e09ec7f17f4df486d2cee6e73aec")
        #expect(Alert.labelFingerprint(of: [:]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Alert.labelFingerprint(of: ["a": "bc"]) != Alert.labelFingerprint(of: ["ab": "c"]))
    }
}
