import RunbookEngine
import RunbookLanguage
import Testing

@Suite("Gate rules")
struct GateRulesTests {
    @Test("names are compared trimmed, case-folded and in NFC", arguments: [
        ("alice", "Alice"), ("alice", " alice "), ("alice", "ALICE\n"), ("jos\u{E9}", "Jose\u{301}"), ("Straße", "STRASSE"),
    ])
    func sameName(_ name: String, _ variant: String) {
        #expect(Identity.same(name, variant))
        #expect(Identity.key(name) == Identity.key(variant))
    }

    @Test("different people stay different")
    func differentNames() {
        #expect(!Identity.same("alice", "alicia"))
        #expect(!Identity.same("bob", "b0b"))
    }

    @Test("the starter's approval never counts toward a two-person gate, in any spelling; the starter may deny")
    func starterExcluded() {
        let rules = GateRules(starter: "alice", approvers: [], minApprovals: 2)
        for spelling in ["alice", "Alice", " alice", "ALICE"] {
            #expect(rules.refusal(for: spelling)?.contains("who started the run") == true, "\(spelling)")
        }
        #expect(rules.refusal(for: "alice", approving: false) == nil)
        #expect(rules.refusal(for: "alice", breakGlass: true) == nil, "break-glass is one person's call")
        #expect(rules.refusal(for: "bob") == nil)
        let single = GateRules(starter: "alice", approvers: [], minApprovals: 1)
        #expect(single.refusal(for: "alice") == nil, "a one-approval gate is the operator's own confirmation")
    }

    @Test("the alert source that started a run never answers its gates, whatever the case")
    func alertSourceExcluded() {
        let rules = GateRules(starter: "alertmanager", startedByAlert: true, approvers: [], minApprovals: 1)
        for spelling in ["alertmanager", "Alertmanager", "alertmanager "] {
            #expect(rules.refusal(for: spelling)?.contains("sent the alert") == true)
            #expect(rules.refusal(for: spelling, approving: false)?.contains("sent the alert") == true)
        }
        #expect(rules.refusal(for: "bob") == nil)
    }

    @Test("approvers are matched by normalised name")
    func approverList() {
        let rules = GateRules(starter: "alice", approvers: ["Bob", "carol"], minApprovals: 1)
        #expect(rules.refusal(for: "bob ") == nil)
        #expect(rules.refusal(for: "CAROL") == nil)
        #expect(rules.refusal(for: "mallory")?.contains("not an approver") == true)
    }
}
