import Foundation
import RunbookTestPeers
import Testing

/// `runbook serve` run as an operator runs it, called over HTTP with curl.
@Suite("runbook serve", .timeLimit(.minutes(3)))
struct ServeTests {
    /// A diagnostic runbook started by any alert of every source: one step that reads, one gated step that changes.
    static let catchAll = """
        inputs:
          service: { type: string, default: api, pattern: "^[a-z0-9-]+$" }
        triggers:
          - { source: alertmanager, match_re: { alertname: ".+" }, inputs: { service: "${{ alert.labels.service }}" } }
          - { source: grafana, match_re: { alertname: ".+" } }
          - { source: cloudwatch, match_re: { alarm_name: ".+" } }
          - { source: pagerduty, match_re: { incident_id: ".+" } }
        steps:
          - { id: look, run: "echo looking at ${{ inputs.service }}", mutating: false }
          - { id: restart, run: "echo restarting ${{ inputs.service }}", confirm: "Restart ${{ inputs.service }}?" }
        """

    /// The real alert payloads of the receivers' tests.
    static let fixtures = RunbookBinary.packageRoot.appendingPathComponent("Tests/RunbookAlertsTests/Fixtures/alerts")

    @Test("every alert fixture, posted to its hook, is answered as its payload deserves")
    func fixtures() throws {
        let server = try ServeInstance(
            serve: """
                  sns_topics: ["arn:aws:sns:eu-west-1:1234567890:alerta-test", "arn:aws:sns:us-west-2:123456789012:MyTopic"]
                """,
            runbooks: ["diagnose": Self.catchAll])
        // The subscription confirmation is posted below with its URL moved to this machine: its topic is allowed here,
        // and the server must refuse to fetch anything but the topic's own SNS endpoint.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
            .filter { $0.hasSuffix(".json") && !$0.contains("subscription-confirmation") }.sorted()
        #expect(files.count == 17)
        var started = 0
        for file in files {
            let source = file.hasPrefix("aws-sns") ? "cloudwatch" : String(file.prefix { $0 != "-" })
            let reply = try server.request(
                "POST", "/hooks/\(source)", file: Self.fixtures.appendingPathComponent(file).path,
                token: ServeInstance.tokens["alertmanager"])
            if file.contains("invalid") || file == "aws-sns-http-notification.json" {
                // A payload missing required fields; an SNS notification whose Message is not an alarm.
                #expect(reply.status == 400, "\(file): \(reply.body)")
            } else {
                #expect(reply.status == 200, "\(file): \(reply.body)")
                let alerts = reply.json["alerts"] as? [[String: Any]] ?? []
                #expect(!alerts.isEmpty, "\(file): \(reply.body)")
                started += alerts.flatMap { $0["runs"] as? [[String: Any]] ?? [] }.filter { $0["new"] as? Bool == true }
                    .count
            }
        }
        #expect(started >= 10)
        let confirmation = try String(
            contentsOf: Self.fixtures.appendingPathComponent("aws-sns-http-subscription-confirmation-alerta.json"),
            encoding: .utf8
        ).replacingOccurrences(of: "https://sns.eu-west-1.amazonaws.com", with: "http://127.0.0.1:9")
        let moved = try server.hook("cloudwatch", confirmation)
        #expect(moved.status == 403, "\(moved.body)")
        // Amazon SNS can only send Basic credentials (from the subscription URL): the token is the password.
        let alarm = Self.fixtures.appendingPathComponent("aws-sns-http-cloudwatch-alarm-ALARM-alerta.json").path
        let basic = Data("sns:\(ServeInstance.tokens["alertmanager"] ?? "")".utf8).base64EncodedString()
        let viaBasic = try server.request(
            "POST", "/hooks/cloudwatch", file: alarm, headers: ["Authorization": "Basic \(basic)"])
        #expect(viaBasic.status == 200, "\(viaBasic.body)")
        let wrongBasic = Data("sns:guess".utf8).base64EncodedString()
        #expect(try server.request(
            "POST", "/hooks/cloudwatch", file: alarm, headers: ["Authorization": "Basic \(wrongBasic)"]).status == 401)
        let events = try server.workspace.events()
        #expect(events.filter { $0["type"] as? String == "webhook.rejected" }.count == 3)
        let runs = try server.request("GET", "/runs?limit=100", token: ServeInstance.tokens["bob"]).json["runs"]
            as? [[String: Any]] ?? []
        #expect(runs.count == started)
        // Diagnose by default: every run did its reading step and now waits at the gate of the one that changes.
        for run in runs {
            #expect(try server.waitForGate(run: run["id"] as? String ?? "", step: "restart"))
        }
        let metrics = try server.request("GET", "/metrics").body
        #expect(metrics.contains("runbook_gates_waiting \(Double(started))"))
        #expect(metrics.contains("runbook_alerts_received_total{source=\"pagerduty\",status=\"firing\"} 1"))
    }

    @Test("no token, a wrong token, a bad signature: 401 and nothing starts; too big: 413; not JSON: 400, recorded")
    func refusals() throws {
        let server = try ServeInstance(serve: "  max_body_bytes: 2048", runbooks: ["diagnose": Self.catchAll])
        let alert = ServeInstance.alertmanager(["alertname": "APIDown", "service": "api"])
        #expect(try server.hook("alertmanager", alert, token: nil).status == 401)
        #expect(try server.hook("alertmanager", alert, token: "guess").status == 401)
        let pagerduty = try String(
            contentsOf: Self.fixtures.appendingPathComponent("pagerduty-webhook-v3-incident.triggered-zulip.json"),
            encoding: .utf8)
        let forged = try server.request(
            "POST", "/hooks/pagerduty", body: pagerduty, headers: ["X-PagerDuty-Signature": "v1=00ff"])
        #expect(forged.status == 401)
        #expect(try server.request("GET", "/runs").status == 401)
        let big = ServeInstance.alertmanager(["alertname": "APIDown", "big": String(repeating: "x", count: 4_096)])
        #expect(try server.hook("alertmanager", big).status == 413)
        let garbage = try server.hook("alertmanager", "{not json")
        #expect(garbage.status == 400)
        #expect((garbage.json["error"] as? String)?.contains("alertmanager") == true)
        #expect(try server.hook("nagios", alert).status == 404)
        let runs = try server.request("GET", "/runs", token: ServeInstance.tokens["alice"]).json["runs"] as? [Any]
        #expect(runs?.isEmpty == true)
        let rejected = try server.workspace.events().filter { $0["type"] as? String == "webhook.rejected" }
        #expect(rejected.count == 1)
        #expect(rejected.first.flatMap { $0["run"] as? String } == "")
        // A signed delivery is accepted without a token; the same X-Webhook-Id again starts nothing new.
        let signature = try PeerProcess.run(
            "/usr/bin/env", ["openssl", "dgst", "-sha256", "-hmac", ServeInstance.pagerDutySecret, "-hex"],
            input: pagerduty
        ).stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        let headers = ["X-PagerDuty-Signature": "v1=\(signature)", "X-Webhook-Id": "delivery-1"]
        let signed = try server.request("POST", "/hooks/pagerduty", body: pagerduty, headers: headers)
        #expect(signed.status == 200, "\(signed.body)")
        let again = try server.request("POST", "/hooks/pagerduty", body: pagerduty, headers: headers)
        #expect(again.json["repeated_delivery"] as? String == "delivery-1")
        let confirmation = try String(
            contentsOf: Self.fixtures.appendingPathComponent("aws-sns-http-subscription-confirmation-alerta.json"),
            encoding: .utf8)
        let unconfirmed = try server.hook("cloudwatch", confirmation)
        #expect(unconfirmed.status == 403, "no topic is allowed here: \(unconfirmed.body)")
    }

    @Test("an alert firing again joins its open run; its resolution is appended; an API approval finishes the run")
    func dedupResolutionAndGate() throws {
        let server = try ServeInstance(runbooks: ["diagnose": Self.catchAll])
        let firing = ServeInstance.alertmanager(["alertname": "APIDown", "service": "checkout"], fingerprint: "fp1")
        let first = try server.hook("alertmanager", firing)
        let runs = first.runs
        let run = try #require(runs.first?["run"] as? String)
        #expect(runs.first?["new"] as? Bool == true)
        let second = try server.hook("alertmanager", firing)
        let joined = second.runs
        #expect(joined.first?["run"] as? String == run)
        #expect(joined.first?["new"] as? Bool == false)
        #expect(try server.waitForGate(run: run, step: "restart"))

        let sender = try server.request(
            "POST", "/runs/\(run)/gates/restart/approve", token: ServeInstance.tokens["alertmanager"])
        #expect(sender.status == 403, "the alert's sender cannot approve: \(sender.body)")
        let wrongStep = try server.request(
            "POST", "/runs/\(run)/gates/look/approve", token: ServeInstance.tokens["alice"])
        #expect(wrongStep.status == 409)
        let approved = try server.request(
            "POST", "/runs/\(run)/gates/restart/approve", body: #"{"comment": "OOM confirmed"}"#,
            token: ServeInstance.tokens["alice"])
        #expect(approved.status == 200, "\(approved.body)")
        #expect(try server.waitFor(run: run, status: "succeeded"))

        let resolved = try server.hook("alertmanager", ServeInstance.alertmanager(
            ["alertname": "APIDown", "service": "checkout"], status: "resolved", fingerprint: "fp1"))
        #expect(resolved.status == 200)
        let document = try server.run(run)
        let events = document["events"] as? [[String: Any]] ?? []
        let alerts = events.filter { $0["type"] as? String == "alert.received" }
        #expect(alerts.count == 3)
        #expect((alerts.last?["data"] as? [String: Any])?["status"] as? String == "resolved")
        let approval = events.first { $0["type"] as? String == "gate.approved" }
        #expect((approval?["actor"] as? [String: Any])?["id"] as? String == "alice")
        #expect((approval?["data"] as? [String: Any])?["comment"] as? String == "OOM confirmed")
        let started = events.first { $0["type"] as? String == "run.started" }?["data"] as? [String: Any]
        #expect((started?["inputs"] as? [String: Any])?["service"] as? String == "checkout")
        #expect(started?["incident_started_at"] as? String == "2026-12-04T10:00:00.000Z")
        // A fresh alert of the same kind after the run ended starts a new run.
        let later = try server.hook("alertmanager", firing)
        let next = later.runs
        #expect(next.first?["new"] as? Bool == true)
        #expect(next.first?["run"] as? String != run)
    }

    @Test("confirm: false does not let an alert-started run change anything without a person")
    func noUngatedChanges() throws {
        let server = try ServeInstance(runbooks: ["eager": """
            triggers:
              - { source: grafana, match: { alertname: Eager } }
            steps:
              - { id: scale, run: "echo scaling", confirm: false }
            """])
        let body = #"{"receiver":"r","status":"firing","version":"1","alerts":[{"status":"firing","#
            + #""labels":{"alertname":"Eager"},"annotations":{},"startsAt":"2026-12-04T10:00:00Z"}]}"#
        let reply = try server.request("POST", "/hooks/grafana", body: body, token: ServeInstance.tokens["grafana"])
        let run = try #require(reply.firstRun, "\(reply.body)")
        #expect(try server.waitForGate(run: run, step: "scale"))
        let gate = (try server.run(run)["events"] as? [[String: Any]] ?? [])
            .first { $0["type"] as? String == "gate.requested" }?["data"] as? [String: Any]
        #expect((gate?["approve_url"] as? String)?.hasSuffix("/runs/\(run)/gates/scale/approve") == true)
        let denied = try server.request(
            "POST", "/runs/\(run)/gates/scale/deny", body: #"{"reason": "not now"}"#, token: ServeInstance.tokens["bob"])
        #expect(denied.status == 200)
        #expect(try server.waitFor(run: run, status: "denied"))
    }

    @Test("runbook cancel and POST /runs/{id}/cancel stop a served run, and only that run: the server keeps serving")
    func cancel() throws {
        let server = try ServeInstance(runbooks: ["diagnose": Self.catchAll])
        var runs: [String] = []
        for name in ["One", "Two"] {
            let reply = try server.hook("alertmanager", ServeInstance.alertmanager(["alertname": name]))
            runs += reply.runs
                .compactMap { $0["run"] as? String }
        }
        #expect(runs.count == 2)
        for run in runs { #expect(try server.waitForGate(run: run, step: "restart")) }
        let cli = try server.workspace.run(["cancel", runs[0]], user: "bob")
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(try server.waitFor(run: runs[0], status: "cancelled"))
        let api = try server.request("POST", "/runs/\(runs[1])/cancel", token: ServeInstance.tokens["alice"])
        #expect(api.status == 202, "\(api.body)")
        #expect(try server.waitFor(run: runs[1], status: "cancelled"))
        #expect(try server.request("GET", "/healthz").status == 200)
        #expect(try server.request("POST", "/runs/\(runs[1])/cancel", token: ServeInstance.tokens["alice"]).status == 409)
    }

    @Test("steps do not inherit the server's tokens or PagerDuty secret")
    func stepsSeeNoTokens() throws {
        let server = try ServeInstance(runbooks: ["nosy": """
            triggers:
              - { source: alertmanager, match: { alertname: Nosy } }
            steps:
              - id: look
                run: echo "token=[$TOKEN_ALICE] secret=[$PD_SECRET] path=[${PATH:+set}]"
                mutating: false
            """])
        let reply = try server.hook("alertmanager", ServeInstance.alertmanager(["alertname": "Nosy"]))
        let run = try #require(reply.firstRun)
        #expect(try server.waitFor(run: run, status: "succeeded"))
        let finished = (try server.run(run)["events"] as? [[String: Any]] ?? [])
            .first { $0["type"] as? String == "step.finished" }?["data"] as? [String: Any]
        let stdout = (finished?["outputs"] as? [String: Any])?["stdout"] as? String ?? ""
        #expect(stdout.contains("token=[] secret=[] path=[set]"), "\(stdout)")
        // Still usable after a reload, which reads the configuration again.
        server.process.signal(SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try server.request("GET", "/runs", token: ServeInstance.tokens["alice"]).status == 200)
    }

    @Test("a bad serve: block or --listen is refused before anything listens, with the place and the fix")
    func badSettings() throws {
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            serve:
              listne: 127.0.0.1:8088
              environment: prdo
              max_concurrent_runs: 0
              tokens: { name: alice }
            environments:
              prod: {}
            """)
        let result = try workspace.run(["serve"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("runbook.config.yaml:3:3: error: unknown key 'listne'"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'listen'?"))
        #expect(result.stderr.contains("unknown environment 'prdo' in 'serve' (did you mean 'prod'?)"))
        #expect(result.stderr.contains("max_concurrent_runs"))
        #expect(result.stderr.contains("'tokens' of 'serve' must be a list of {name, token}"))
        let fine = try TemporaryWorkspace()
        let listen = try fine.run(["serve", "--listen", "localhost"])
        #expect(listen.status == 2)
        #expect(listen.stderr.contains("'localhost' is not HOST:PORT"), "\(listen.stderr)")
    }

    @Test("a label that fails the input's pattern starts nothing; the alert is recorded as rejected")
    func injection() throws {
        let server = try ServeInstance(runbooks: ["diagnose": Self.catchAll])
        let reply = try server.hook(
            "alertmanager", ServeInstance.alertmanager(["alertname": "APIDown", "service": "x'; touch /tmp/pwned; '"]))
        #expect(reply.status == 200)
        let alert = (reply.json["alerts"] as? [[String: Any]])?.first
        #expect((alert?["runs"] as? [Any])?.isEmpty == true)
        #expect(((alert?["rejected"] as? [String])?.first ?? "").contains("pattern"))
        #expect(try server.workspace.events().contains { $0["type"] as? String == "alert.rejected" })
    }

    @Test("an alert storm is bounded: max_concurrent_runs at once, the rest queued and run in order, none dropped")
    func storm() throws {
        let server = try ServeInstance(serve: "  max_concurrent_runs: 2", runbooks: ["slow": """
            triggers:
              - { source: alertmanager, match: { alertname: Storm } }
            steps:
              - { id: wait, action: sleep, with: { duration: 1s } }
            """])
        var runs: [String] = []
        for index in 0..<6 {
            let reply = try server.hook(
                "alertmanager", ServeInstance.alertmanager(["alertname": "Storm", "instance": "host-\(index)"]))
            let started = reply.runs
            runs += started.compactMap { $0["run"] as? String }
        }
        #expect(Set(runs).count == 6)
        // Six runs of a second each, two at a time: right after the storm, two run and four wait.
        let metrics = try server.request("GET", "/metrics").body
        #expect(metrics.contains("runbook_runs_active 2.0"), "\(metrics)")
        #expect(metrics.contains("runbook_runs_queued 4.0") || metrics.contains("runbook_runs_queued 3.0"))
        for run in runs { #expect(try server.waitFor(run: run, status: "succeeded")) }
        // Never more than two at once: each run started after all but one of the earlier ones had finished.
        let events = try server.workspace.events()
        func time(_ type: String, _ run: String) -> String {
            let time = events.first { $0["type"] as? String == type && $0["run"] as? String == run }?["ts"] as? String
            #expect(time != nil, "no \(type) for \(run)")
            return time ?? ""
        }
        for (index, run) in runs.enumerated() where index >= 2 {
            let finishedBefore = runs[..<index].filter { time("run.finished", $0) <= time("run.started", run) }
            #expect(finishedBefore.count >= index - 1, "run \(index) started with too many running")
        }
    }

    @Test("kill -9 or SIGTERM of the server: a run parked at its gate is taken up by the next server and finishes")
    func restartResumesParkedRuns() throws {
        let server = try ServeInstance(runbooks: ["diagnose": Self.catchAll])
        let reply = try server.hook("alertmanager", ServeInstance.alertmanager(["alertname": "APIDown"]))
        let run = try #require(reply.firstRun)
        #expect(try server.waitForGate(run: run, step: "restart"))
        server.stop(SIGKILL)
        try server.start()
        #expect(try server.waitForGate(run: run, step: "restart"))
        #expect(try server.run(run)["status"] as? String == "running")
        // SIGTERM: the server stops at once (nothing executes), the parked run shows as interrupted, and the next
        // server takes it up again.
        let started = Date()
        let stopped = server.stop(SIGTERM)
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(stopped.stderr.contains("shutting down"))
        let status = try server.workspace.run(["status", run])
        #expect(status.stdout.contains("interrupted"), "\(status.stdout)")
        try server.start()
        #expect(try server.waitForGate(run: run, step: "restart"))
        let cli = try server.workspace.run(["approve", run, "restart"], user: "bob")
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(try server.waitFor(run: run, status: "succeeded"))
        #expect(try server.workspace.run(["audit", "verify"]).status == 0)
    }

    @Test("a run not taken up after a restart does not swallow its alert; resume --yes of it is refused")
    func runsThatCannotBeTakenUp() throws {
        // Its secret input is never recorded, so after a restart nothing can run it again.
        let runbook = """
            inputs:
              token: { type: string, secret: true, required: true }
            triggers:
              - { source: alertmanager, match: { alertname: Other }, inputs: { token: "${{ alert.labels.token }}" } }
            steps:
              - { id: fix, run: "echo fixing", confirm: "Fix?" }
            """
        let server = try ServeInstance(runbooks: ["other": runbook])
        let alert = ServeInstance.alertmanager(["alertname": "Other", "token": "s3cret"], fingerprint: "gone")
        let first = try #require(try server.hook("alertmanager", alert).firstRun)
        #expect(try server.waitForGate(run: first, step: "fix"))
        server.stop(SIGKILL)
        let resumeWithYes = try server.workspace.run(["resume", first, "--yes"], user: "bob")
        #expect(resumeWithYes.status == 2)
        #expect(resumeWithYes.stderr.contains("was started by an alert: its gates need a person, not --yes"))
        try server.start()
        #expect(try server.run(first)["status"] as? String == "interrupted")
        var second: String?
        #expect(server.workspace.waitFor(seconds: 10) {
            second = try? server.hook("alertmanager", alert).firstRun
            return second != nil
        })
        #expect(second != first, "the alert started a new run instead of joining one nobody runs")
    }

    @Test("after a restart, a parked run continues with the runbook it started with, though its file is gone")
    func recordedRunbookAfterRestart() throws {
        let server = try ServeInstance(runbooks: ["other": """
            triggers:
              - { source: alertmanager, match: { alertname: Other } }
            steps:
              - { id: fix, run: "echo fixing", confirm: "Fix?" }
            """])
        let first = try #require(try server.hook(
            "alertmanager", ServeInstance.alertmanager(["alertname": "Other"], fingerprint: "kept")).firstRun)
        #expect(try server.waitForGate(run: first, step: "fix"))
        server.stop(SIGKILL)
        try FileManager.default.removeItem(atPath: server.workspace.path("runbooks/other.yaml"))
        try server.start()
        #expect(try server.waitForGate(run: first, step: "fix"))
        #expect(try server.workspace.run(["approve", first, "fix"]).status == 0)
        #expect(try server.waitFor(run: first, status: "succeeded"))
    }

    @Test("SIGHUP reloads the configuration: a new runbook's trigger starts runs without a restart")
    func reload() throws {
        let server = try ServeInstance(runbooks: [:])
        let before = try server.hook("alertmanager", ServeInstance.alertmanager(["alertname": "DiskFull"]))
        #expect(before.runs.isEmpty)
        try server.workspace.runbook("disk", """
            triggers:
              - { source: alertmanager, match: { alertname: DiskFull } }
            steps:
              - { id: df, run: "df -h", mutating: false }
            """)
        server.process.signal(SIGHUP)
        let started = server.workspace.waitFor(seconds: 10) {
            let reply = try? server.hook(
                "alertmanager", ServeInstance.alertmanager(["alertname": "DiskFull", "n": UUID().uuidString]))
            return reply?.runs.isEmpty == false
        }
        #expect(started)
    }
}
