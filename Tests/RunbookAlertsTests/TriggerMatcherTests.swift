import Foundation
import RunbookAlerts
import RunbookEngine
import RunbookServer
import RunbookLanguage
import Testing

/// The bundled runbooks in runbooks/, found from this file.
enum BundledRunbooks {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("runbooks").path

    static func load() throws -> [Runbook] {
        try RunbookLibrary.runbookFiles(in: directory).map { file in
            switch RunbookLoader().load(path: file) {
            case .success(let runbook): return runbook
            case .failure(let failure): throw failure
            }
        }
    }
}

/// A runbook written in a test.
func runbook(_ text: String, name: String = "custom") throws -> Runbook {
    try RunbookLoader().load(text: text, file: "\(name).yaml").get()
}

/// Which alerts start which runbooks, with the bundled runbooks and the alert fixtures.
@Suite struct TriggerMatcherTests {
    /// Loaded once for the suite: every test reads the same files.
    static let library = Result { try BundledRunbooks.load() }

    let matcher: TriggerMatcher

    init() throws {
        matcher = TriggerMatcher(runbooks: try Self.library.get())
    }

    /// `runbook#trigger` of every match, accepted or not.
    func names(_ matches: [TriggerMatch]) -> [String] { matches.map { "\($0.runbook.name)#\($0.number)" } }

    func accepted(_ match: TriggerMatch?) throws -> TriggeredRun {
        let match = try #require(match)
        switch match.outcome {
        case .success(let run): return run
        case .failure(let rejection): throw rejection
        }
    }

    @Test func theBundledLibraryHasTriggersForEverySource() {
        let sources = Set(matcher.runbooks.flatMap { $0.triggers.map(\.source) })
        #expect(sources == Set(AlertSource.allCases))
    }

    @Test func onlyTheProbeFailureFixtureStartsABundledRunbook() throws {
        for expectation in FixtureExpectation.all {
            guard case .success(.alerts(let alerts)) = try receive(fixture: expectation.file) else { continue }
            let matched = alerts.flatMap { names(matcher.matches(for: $0)) }
            if expectation.file == "alertmanager-firing-docsrs-alertmanager-webhook-types-sample-v4.json" {
                #expect(matched == ["health-check#1"])
            } else {
                #expect(matched.isEmpty, "\(expectation.file)")
            }
        }
    }

    @Test func aFailingProbeStartsTheHealthSweepWithTheProbeAsInput() throws {
        let alert = try #require(try alerts(
            fixture: "alertmanager-firing-docsrs-alertmanager-webhook-types-sample-v4.json").first)
        let run = try accepted(matcher.matches(for: alert).first)
        #expect(run.inputs == ["probe": "https://server.example.org", "path": "/health"])
        #expect(run.severity == .sev3)
        #expect(run.severityNote == nil)
    }

    @Test func apiDownFromAlertmanagerTakesTheServiceLabel() throws {
        let alert = try apiDown(service: "api-internal")
        let matches = matcher.matches(for: alert)
        #expect(names(matches) == ["api-down#1"])
        let run = try accepted(matches.first)
        #expect(run.inputs["service"] == "api-internal")
        #expect(run.inputs["cluster"] == "propflow-cluster")
        #expect(run.inputs["scale_to"] == 4)
        #expect(run.severity == .sev2)
    }

    @Test func aMissingLabelLeavesTheInputToItsDefault() throws {
        let run = try accepted(matcher.matches(for: try apiDown(service: nil)).first)
        #expect(run.inputs["service"] == "api")
    }

    @Test func anInjectedLabelIsRejectedByTheInputPattern() throws {
        let matches = matcher.matches(for: try apiDown(service: "x'; touch /tmp/pwned; '"))
        #expect(names(matches) == ["api-down#1"])
        guard case .failure(let rejection) = try #require(matches.first).outcome else {
            Issue.record("the injected label was accepted")
            return
        }
        #expect(rejection.reason == "input 'service': 'x'; touch /tmp/pwned; '' does not match the pattern "
                + "'^[A-Za-z0-9_-]{1,255}$'")
        #expect(rejection.description.hasPrefix("\(BundledRunbooks.directory)/api-down.yaml:52:"))
        #expect(rejection.description.contains("runbook 'api-down' cannot start from this alert"))
    }

    @Test func containerInsightsAlarmsStartApiDownOrRollbackByMetric() throws {
        let running = try alarm(namespace: "ECS/ContainerInsights", metric: "RunningTaskCount",
                                dimensions: ["ClusterName": "prod", "ServiceName": "api-internal"])
        #expect(names(matcher.matches(for: running)) == ["api-down#2"])
        let run = try accepted(matcher.matches(for: running).first)
        #expect(run.inputs["cluster"] == "prod")
        #expect(run.inputs["service"] == "api-internal")

        let deployments = try alarm(namespace: "ECS/ContainerInsights", metric: "DeploymentCount",
                                    dimensions: ["ClusterName": "prod", "ServiceName": "worker"])
        #expect(names(matcher.matches(for: deployments)) == ["rollback-deploy#2"])
        #expect(try accepted(matcher.matches(for: deployments).first).inputs["platform"] == "ecs")
    }

    @Test func matchReIsAnchored() throws {
        for service in ["worker", "my-api", "api-", "api-Internal"] {
            let alert = try alarm(namespace: "ECS/ContainerInsights", metric: "RunningTaskCount",
                                  dimensions: ["ClusterName": "prod", "ServiceName": service])
            #expect(matcher.matches(for: alert).isEmpty, "\(service)")
        }
    }

    @Test func rdsConnectionsStartDbConnectionsButInsufficientDataDoesNot() throws {
        let firing = try alarm(namespace: "AWS/RDS", metric: "DatabaseConnections",
                               dimensions: ["DBInstanceIdentifier": "prod-db-1"])
        #expect(names(matcher.matches(for: firing)) == ["db-connections#2"])
        #expect(try accepted(matcher.matches(for: firing).first).inputs["db_instance"] == "prod-db-1")
        let unknown = try alarm(namespace: "AWS/RDS", metric: "DatabaseConnections",
                                dimensions: ["DBInstanceIdentifier": "prod-db-1"], state: "INSUFFICIENT_DATA")
        #expect(unknown.status == .firing)
        #expect(matcher.matches(for: unknown).isEmpty)
    }

    @Test func insufficientDataStartsOnlyATriggerNamingThatState() throws {
        let alert = try #require(try alerts(
            fixture: "aws-sns-http-cloudwatch-alarm-INSUFFICIENT_DATA-alerta.json").first)
        let naming = try runbook("""
            name: custom
            triggers:
              - source: cloudwatch
                match: { namespace: AWS/SNS }
              - source: cloudwatch
                match: { namespace: AWS/SNS, state: INSUFFICIENT_DATA }
              - source: cloudwatch
                match: { namespace: AWS/SNS }
                match_re: { state: 'INSUFFICIENT_.*' }
            steps:
              - id: look
                action: log
                with: { message: "no data from ${{ inputs.topic }}" }
            inputs:
              topic: { pattern: '^[a-z-]*$', default: "" }
            """)
        let matches = TriggerMatcher(runbooks: [naming]).matches(for: alert)
        #expect(names(matches) == ["custom#2"])
    }

    @Test func aResolvedAlertStillMatchesItsTriggers() throws {
        let resolved = try alarm(namespace: "AWS/RDS", metric: "DatabaseConnections",
                                 dimensions: ["DBInstanceIdentifier": "prod-db-1"], state: "OK")
        #expect(resolved.status == .resolved)
        #expect(names(matcher.matches(for: resolved)) == ["db-connections#2"])
    }

    @Test func pagerDutyIncidentsMatchByServiceUrgencyAndTitle() throws {
        let api = try pagerDuty { try set(&$0, ["event", "data", "service", "summary"], to: "propflow-api") }
        #expect(names(matcher.matches(for: api)) == ["api-down#3"])
        let low = try pagerDuty {
            try set(&$0, ["event", "data", "service", "summary"], to: "propflow-api")
            try set(&$0, ["event", "data", "urgency"], to: "low")
        }
        #expect(matcher.matches(for: low).isEmpty)
        let corruption = try pagerDuty {
            try set(&$0, ["event", "data", "title"], to: "Possible data corruption in orders")
        }
        #expect(names(matcher.matches(for: corruption)) == ["db-restore#2"])
        #expect(try accepted(matcher.matches(for: corruption).first).severity == .sev1)
    }

    @Test func diskFullPicksTheTriggerAndSeverityBySeverityLabel() throws {
        func disk(_ severity: String, instance: String = "db-1:9100") throws -> Alert {
            try #require(try alerts(AlertmanagerReceiver(), fixture: "alertmanager-firing-alerta-prometheus_v4_alert.json") {
                try set(&$0, ["alerts", 0, "labels"], to: [
                    "alertname": "NodeFilesystemAlmostOutOfSpace", "severity": severity, "instance": instance,
                    "mountpoint": "/var/lib/postgresql",
                ])
            }.first)
        }
        let warning = matcher.matches(for: try disk("warning"))
        #expect(names(warning) == ["disk-full#1"])
        #expect(try accepted(warning.first).severity == .sev3)
        #expect(try accepted(warning.first).inputs["host"] == "db-1:9100")
        let critical = matcher.matches(for: try disk("critical"))
        #expect(names(critical) == ["disk-full#2"])
        #expect(try accepted(critical.first).severity == .sev2)
        #expect(matcher.matches(for: try disk("critical", instance: "web-1:9100")).isEmpty)
    }

    @Test func grafanaAndAlertmanagerTriggersDoNotCross() throws {
        let grafana = try #require(try alerts(GrafanaReceiver(), fixture: "grafana-webhook-firing-docs.json") {
            try set(&$0, ["alerts", 0, "labels"], to: [
                "alertname": "API p95 latency", "grafana_folder": "backend", "service": "api",
            ])
        }.first)
        #expect(names(matcher.matches(for: grafana)) == ["high-latency#2"])
        var asAlertmanager = grafana
        asAlertmanager.source = .alertmanager
        #expect(matcher.matches(for: asAlertmanager).isEmpty)
    }

    @Test func theSeverityExpressionFallsBackToTheRunbookWithAReason() throws {
        let custom = try runbook("""
            name: custom
            severity: SEV4
            triggers:
              - source: alertmanager
                match: { alertname: thing_dead }
                severity: ${{ alert.labels.severity }}
            steps:
              - id: look
                action: log
                with: { message: "${{ inputs.replicas }}" }
            inputs:
              replicas: { type: int, default: 1 }
            """)
        let matcher = TriggerMatcher(runbooks: [custom])
        let critical = try #require(try alerts(fixture: "alertmanager-firing-alerta-prometheus_v4_alert.json").first)
        let fallback = try accepted(matcher.matches(for: critical).first)
        #expect(fallback.severity == .sev4)
        #expect(fallback.severityNote == "the trigger's severity 'critical' is not SEV1..SEV4 or P0..P3; the run has "
                + "the runbook's SEV4")
        var p1 = critical
        p1.labels["severity"] = "P1"
        let raised = try accepted(matcher.matches(for: p1).first)
        #expect(raised.severity == .sev2)
        #expect(raised.severityNote == nil)
    }

    @Test func anAlertCanRaiseTheSeverityButNeverLowerIt() throws {
        let critical = try runbook("""
            name: custom
            severity: SEV1
            triggers:
              - source: alertmanager
                match: { alertname: thing_dead }
                severity: ${{ alert.labels.severity }}
            steps:
              - { id: look, action: log, with: { message: hi } }
            """)
        var alert = try #require(try alerts(fixture: "alertmanager-firing-alerta-prometheus_v4_alert.json").first)
        alert.labels["severity"] = "SEV4"
        let kept = try accepted(TriggerMatcher(runbooks: [critical]).matches(for: alert).first)
        #expect(kept.severity == .sev1)
        #expect(kept.severityNote?.contains("an alert cannot lower it") == true)
    }

    @Test func anInputOfTheWrongTypeIsRejected() throws {
        let custom = try runbook("""
            name: custom
            triggers:
              - source: alertmanager
                match: { alertname: thing_dead }
                inputs: { replicas: "${{ alert.labels.severity }}" }
            steps:
              - id: look
                action: log
                with: { message: "${{ inputs.replicas }}" }
            inputs:
              replicas: { type: int, default: 1 }
            """)
        let alert = try #require(try alerts(fixture: "alertmanager-firing-alerta-prometheus_v4_alert.json").first)
        let match = try #require(TriggerMatcher(runbooks: [custom]).matches(for: alert).first)
        guard case .failure(let rejection) = match.outcome else {
            Issue.record("'critical' was accepted as an int")
            return
        }
        #expect(rejection.reason == "input 'replicas': 'critical' is not an int")
    }

    // MARK: - Alerts derived from the fixtures

    /// The Alertmanager fixture with the labels of `APIDown`.
    func apiDown(service: String?) throws -> Alert {
        try #require(try alerts(AlertmanagerReceiver(), fixture: "alertmanager-firing-alerta-prometheus_v4_alert.json") {
            var labels = ["alertname": "APIDown", "severity": "critical"]
            labels["service"] = service
            try set(&$0, ["alerts", 0, "labels"], to: labels)
        }.first)
    }

    /// The CloudWatch ALARM fixture with another metric, dimensions and state.
    func alarm(namespace: String, metric: String, dimensions: [String: String], state: String = "ALARM") throws -> Alert {
        let changed = try alerts(
            CloudWatchReceiver(allowedTopics: fixtureTopics), fixture: "aws-sns-http-cloudwatch-alarm-ALARM-alerta.json"
        ) { envelope in
            let text = try #require(envelope["Message"] as? String)
            var message = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            var trigger = try #require(message["Trigger"] as? [String: Any])
            trigger["Namespace"] = namespace
            trigger["MetricName"] = metric
            trigger["Dimensions"] = dimensions.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
            message["Trigger"] = trigger
            message["NewStateValue"] = state
            envelope["Message"] = String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)
        }
        return try #require(changed.first)
    }

    /// The PagerDuty triggered fixture changed by `change`.
    func pagerDuty(_ change: (inout [String: Any]) throws -> Void) throws -> Alert {
        try #require(try alerts(PagerDutyReceiver(), fixture: "pagerduty-webhook-v3-incident.triggered-zulip.json",
                                change: change).first)
    }
}
