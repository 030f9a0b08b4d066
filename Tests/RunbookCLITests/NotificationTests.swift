import Foundation
import RunbookTestPeers
import Testing

@testable import RunbookCLI

/// Notifications of gates, RTO events, recovery and the run's end, received by a real local HTTP listener.
struct NotificationTests {
    /// A Python HTTP server on a free loopback port that appends every POST body, one per line, to a file.
    final class WebhookListener {
        private let server: ScriptedServer
        var port: Int { server.port }
        let log: URL

        init(folder: URL) throws {
            log = folder.appendingPathComponent("received.ndjson")
            let script = """
                import http.server, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                        with open(sys.argv[2], 'ab') as f: f.write(self.path.encode() + b' ' + body.replace(b'\\n', b' ') + b'\\n')
                        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')
                    def log_message(self, *a): pass
                s = http.server.HTTPServer(('127.0.0.1', 0), H)
                open(sys.argv[1], 'w').write(str(s.server_address[1]))
                s.serve_forever()
                """
            server = try ScriptedServer(script: script, in: folder, arguments: [log.path])
        }

        var received: [String] {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    @Test("an unusable channel is warned of only to runs that may post to it")
    func unusableChannelWarnings() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write("runbook.config.yaml", """
            notify:
              oncall: { webhook: "${ONCALL_HOOK}" }
              chat: { slack_webhook: "${CHAT_HOOK}" }
              pager: { webhook: "${PAGER_HOOK}" }
            severities:
              SEV1: { notify: [pager] }
            """)
        try workspace.runbook("quiet", "steps:\n  - { id: a, action: log, with: { message: hi } }\n")
        try workspace.runbook("paging", """
            steps:
              - { id: a, action: notify, with: { channel: oncall, message: hi } }
            """)
        try workspace.runbook("chosen", """
            inputs: { to: { type: string, default: chat } }
            steps:
              - { id: a, action: notify, with: { channel: "${{ inputs.to }}", message: hi } }
            """)
        let runbook = InProcessRunbook(workspace)
        let warnings = { (arguments: [String]) async -> [String] in
            await runbook.run(arguments).stderr.split(separator: "\n")
                .filter { $0.contains("cannot be used") }.map(String.init)
        }
        #expect(await runbook.run(["exec", "quiet", "--dry-run"]).status == .success)
#expect(await warnings(["exec", "quiet", "--dry-run"]) == [])
        #expect(await warnings(["exec", "quiet", "--dry-run", "--severity", "SEV1"]) == [
            "warning: notify channel 'pager' cannot be used: $PAGER_HOOK is not set"])
        #expect(await warnings(["exec", "paging", "--dry-run"]) == [
            "warning: notify channel 'oncall' cannot be used: $ONCALL_HOOK is not set"])
        // A channel named by an expression could be any of them.
        #expect(await warnings(["exec", "chosen", "--dry-run"]).count == 3)
    }

    @Test("Slack and generic webhooks hear about the gate, the RTO, the recovery and the end; a dead one fails nothing")
    func notifications() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let listener = try WebhookListener(folder: scratch)
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            notify:
              slack: { slack_webhook: "http://127.0.0.1:\(listener.port)/slack" }
              hook: { webhook: "http://127.0.0.1:\(listener.port)/generic" }
              dead: { webhook: "http://127.0.0.1:9/nothing-listens-here" }
            severities:
              SEV2: { notify: [slack, hook, dead] }
            """)
        try workspace.runbook("notified", """
            severity: SEV2
            rto: 1s
            steps:
              - { id: wait, run: sleep 1.2, mutating: false }
              - { id: restart, run: echo restarted, confirm: "Restart the API?", recovery: true }
            """)
        let result = try workspace.run(["exec", "notified", "--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let received = listener.received
        let slack = received.filter { $0.hasPrefix("/slack ") }
        let generic = received.filter { $0.hasPrefix("/generic ") }
        #expect(slack.contains { $0.contains("waiting for approval before 'restart': Restart the API?") && $0.contains("runbook approve r-") })
        #expect(slack.contains { $0.contains("RTO 50% used") })
        #expect(slack.contains { $0.contains("RTO of 1s breached") })
        #expect(slack.contains { $0.contains("recovered by 'restart'") })
        #expect(slack.contains { $0.contains("run succeeded") })
        #expect(slack.allSatisfy { $0.contains("{\"text\":") })
        #expect(generic.contains { $0.contains("\"channel\":\"hook\"") && $0.contains("run succeeded") })
        let events = try workspace.events()
        #expect(events.contains { $0["type"] as? String == "notify.failed" && ($0["data"] as? [String: Any])?["channel"] as? String == "dead" })
        #expect(events.contains { $0["type"] as? String == "notify.sent" && ($0["data"] as? [String: Any])?["channel"] as? String == "slack" })
        let export = try workspace.run(["audit", "export"]).stdout
        #expect(!export.contains("127.0.0.1:\(listener.port)/slack"))
    }

    @Test("a value cannot add a line to a chat message nor send a control character; the author's line breaks stay")
    func messagesEscapeValues() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let listener = try WebhookListener(folder: scratch)
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            notify:
              slack: { slack_webhook: "http://127.0.0.1:\(listener.port)/slack" }
            severities:
              SEV2: { notify: [slack] }
            """)
        try workspace.runbook("notified", """
            severity: SEV2
            inputs:
              why: { default: "deploy\\e[2J\\n  ⊘ denied restart by carol\\u202E" }
            steps:
              - id: tell
                action: notify
                with: { channel: slack, message: "first line: ${{ inputs.why }}\\nsecond line" }
              - { id: restart, run: echo restarted, confirm: "Restart because ${{ inputs.why }}?" }
            """)
        let result = try workspace.run(["exec", "notified", "--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let texts = listener.received.compactMap { line -> String? in
            guard let body = line.split(separator: " ", maxSplits: 1).last,
                  let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            else { return nil }
            return object["text"] as? String
        }
        let value = #"deploy\x1b[2J\n  ⊘ denied restart by carol\u{202e}"#
        let gate = try #require(texts.first { $0.contains("waiting for approval") }, "\(texts)")
        #expect(gate.split(separator: "\n").count == 3, "\(gate)")
        #expect(gate.contains("Restart because \(value)?"), "\(gate)")
        let told = try #require(texts.first { $0.hasPrefix("first line") }, "\(texts)")
        #expect(told == "first line: \(value)\nsecond line")
        for text in texts {
            ForgedOutputTests.expectClean(text, "a chat message")
        }
    }
}
