import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Testing

/// Gates through the real engine: answered at a scripted terminal, by `--yes`, or by other people through the store.
@Suite("Engine: gates")
struct GateSeamTests {
    static let gated = """
        name: seam
        steps:
          - { id: a, action: scripted }
          - { id: b, action: scripted, needs: [a], confirm: "Go ahead?" }
          - { id: c, action: scripted, needs: [b] }
        """

    @Test("an approved gate lets its step run, after every earlier end is committed for whoever answers")
    func approved() async throws {
        var seam = Seam()
        seam.action("scripted")
        let prompter = ScriptedPrompter(approve: true)
        seam.prompter = prompter
        #expect(try await seam.run(Self.gated) == .succeeded)
        #expect(prompter.requests.map(\.message) == ["Go ahead?"])
        #expect(prompter.requests.first?.stepID == "b")
        #expect(Array(seam.store.batches.prefix(5)) == [
            ["run.started", "step.started a"], ["step.finished a"], ["gate.requested b"], ["gate.approved b"],
            ["step.started b"],
        ])
        let approval = try #require(try await seam.events(EventType.gateApproved, step: "b").first)
        #expect(approval.actor == .user("alice"))
        #expect(approval.data.member("via") == "terminal")
        #expect(seam.journal.all == ["a start", "a end", "b start", "b end", "c start", "c end"])
    }

    @Test("a denied gate ends its step denied, skips what needs it, and the run ends denied")
    func denied() async throws {
        var seam = Seam()
        seam.action("scripted")
        seam.prompter = ScriptedPrompter(approve: false)
        let status = try await seam.run(Self.gated)
        #expect(status == .denied)
        #expect(status.exitCode == 3)
        #expect(try await seam.events(EventType.gateDenied, step: "b").count == 1)
        #expect(try await seam.events(EventType.stepFinished, step: "b").first?.data.member("outcome") == "denied")
        #expect(try await seam.events(EventType.stepFinished, step: "c").first?.data.member("outcome") == "skipped")
        #expect(try await seam.events(EventType.stepStarted, step: "b").isEmpty)
        #expect(seam.journal.all == ["a start", "a end"])
    }

    @Test("`--yes` approves a gate of a step that changes nothing, as the person who started the run")
    func autoApproved() async throws {
        var seam = Seam()
        seam.action("scripted")
        var options = try seam.options(Self.gated)
        options.autoApprove = true
        #expect(try await seam.executor.start(options) == .succeeded)
        let approval = try #require(try await seam.events(EventType.gateApproved, step: "b").first)
        #expect(approval.actor == .user("alice"))
        #expect(approval.data.member("via") == "--yes")
    }

    @Test("a gate that needs two approvals waits for two people other than the starter")
    func twoApprovals() async throws {
        var seam = Seam(store: ScriptedStore(after: { stored, inner in
            guard let request = stored.first(where: { $0.type == EventType.gateRequested }) else { return }
            _ = try? await inner.append(["bob", "carol"].map { person in
                EventDraft(run: request.run, type: EventType.gateApproved, step: request.step, actor: .user(person),
                           data: ["via": "test"])
            })
        }))
        seam.action("scripted")
        let prompter = ScriptedPrompter(approve: true)
        seam.prompter = prompter
        let status = try await seam.run("""
            name: seam
            steps:
              - { id: a, action: scripted, confirm: { min_approvals: 2 } }
            """)
        #expect(status == .succeeded)
        #expect(prompter.requests.isEmpty, "the starter's own approval would not count, so nobody asks them")
        #expect(try await seam.events(EventType.gateRequested).first?.data.member("min_approvals") == 2)
        #expect(try await seam.events(EventType.gateApproved).compactMap(\.actor) == [.user("bob"), .user("carol")])
        #expect(seam.journal.all == ["a start", "a end"])
    }
}
