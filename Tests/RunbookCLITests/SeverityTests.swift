import Foundation
import RunbookTestPeers
import Testing

/// Severity levels: default gate timeouts, --yes refused for destructive steps at SEV1, and their configuration.
struct SeverityTests {
    let gated = """
        steps:
          - { id: restart, run: echo restarted, confirm: "Restart?" }
        """

    @Test("at SEV1, --yes does not approve a mutating step: a person must, and the gate expires meanwhile")
    func sev1RefusesYes() throws {
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            severities:
              SEV1: { gate_timeout: 2s }
            """)
        try workspace.runbook("risky", gated)
        let result = try workspace.run(["exec", "risky", "--severity", "P0", "--yes"])
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("SEV1 does not allow --yes"))
        let events = try workspace.events()
        #expect(events.contains { $0["type"] as? String == "gate.expired" })
        #expect(!events.contains { $0["type"] as? String == "gate.approved" })
    }

    @Test("the configuration can allow --yes at SEV1, and a gate without timeout: waits the level's gate_timeout")
    func configuredPolicy() throws {
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            severities:
              SEV1: { allow_yes: true }
              SEV3: { gate_timeout: 1s }
            """)
        try workspace.runbook("risky", gated)
        #expect(try workspace.run(["exec", "risky", "--severity", "SEV1", "--yes"]).status == 0)
        let started = Date()
        let expired = try workspace.run(["exec", "risky"])
        #expect(expired.status == 3)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("bad severities in the configuration are reported at their line and column")
    func badConfiguration() throws {
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            notify:
              oncall: { webhook: "http://127.0.0.1:9/hook" }
            severities:
              SEV5: { gate_timeout: 1m }
              SEV2: { gate_timout: 1m, notify: [oncal] }
            """)
        try workspace.runbook("risky", gated)
        let result = try workspace.run(["exec", "risky"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("runbook.config.yaml:5:3: error: unknown severity 'SEV5'"), "\(result.stderr)")
        #expect(result.stderr.contains("runbook.config.yaml:6:11: error: unknown key 'gate_timout' in severity SEV2 (did you mean 'gate_timeout'?)"))
        #expect(result.stderr.contains("runbook.config.yaml:6:37: error: unknown notify channel 'oncal' (did you mean 'oncall'?)"))
    }
}
