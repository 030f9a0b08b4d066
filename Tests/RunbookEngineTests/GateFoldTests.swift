import RunbookEngine
import RunbookLanguage
import RunbookStore
import RunbookTestPeers
import Testing

/// The fold of a run's gates, and answers recorded through a real store: a gate closes on its deciding answer.
@Suite("Gate answers")
struct GateFoldTests {
    /// A store in a temporary folder holding a live-looking run whose step `act` waits at a gate of `minApprovals`.
    static func parkedRun(
        minApprovals: Int = 1, starter: String = "alice", alert: Bool = false
    ) async throws -> (SQLiteEventStore, TemporaryDirectory, RunState) {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("state.db"))
        var started: [String: Value] = ["runbook": "act", "severity": "SEV2"]
        if alert { started["alert"] = ["source": "alertmanager"] }
        _ = try await store.append([
            EventDraft(run: "r1", type: EventType.runStarted, actor: .user(starter), data: .object(started)),
            EventDraft(run: "r1", type: EventType.gateRequested, step: "act", actor: .system,
                       data: ["min_approvals": .number(Double(minApprovals)), "approvers": []]),
        ])
        let state = try #require(RunState(events: try await store.events(run: "r1")))
        return (store, directory, state)
    }

    static func answer(_ approve: Bool, _ person: String, note: String? = nil, breakGlass: Bool = false) -> GateAnswer {
        GateAnswer(approve: approve, person: person, via: "test", note: note, breakGlass: breakGlass)
    }

    @Test("a gate is closed in the fold the moment its deciding approval is recorded; a later deny loses with the reason")
    func closesOnApproval() async throws {
        let (store, directory, state) = try await Self.parkedRun()
        defer { directory.remove() }
        _ = try await Self.answer(true, "bob").record(in: store, state: state, step: "act", isAlive: true)
        let after = try #require(RunState(events: try await store.events(run: "r1")))
        #expect(after.steps["act"]?.gateWaiting == false)
        #expect(after.steps["act"]?.gate?.tally.approved == true)
        do {
            _ = try await Self.answer(false, "carol").record(in: store, state: state, step: "act", isAlive: true)
            Issue.record("a deny after the approval was recorded")
        } catch {
            #expect(error.kind == .decided)
            #expect(error.message.contains("already approved by bob at "), "\(error.message)")
        }
        #expect(try await store.events(run: "r1").filter { $0.type == EventType.gateDenied }.isEmpty)
        await store.close()
    }

    @Test("a two-person gate counts distinct people (in any spelling), and the starter never")
    func twoPeople() async throws {
        let (store, directory, state) = try await Self.parkedRun(minApprovals: 2)
        defer { directory.remove() }
        await #expect(throws: GateAnswerError.self) {
            _ = try await Self.answer(true, "Alice ").record(in: store, state: state, step: "act", isAlive: true)
        }
        _ = try await Self.answer(true, "bob").record(in: store, state: state, step: "act", isAlive: true)
        var now = try #require(RunState(events: try await store.events(run: "r1")))
        await #expect(throws: GateAnswerError.self) {
            _ = try await Self.answer(true, "BOB").record(in: store, state: now, step: "act", isAlive: true)
        }
        #expect(now.steps["act"]?.gateWaiting == true)
        _ = try await Self.answer(true, "carol").record(in: store, state: now, step: "act", isAlive: true)
        now = try #require(RunState(events: try await store.events(run: "r1")))
        #expect(now.steps["act"]?.gate?.tally == .approved(
            by: ["bob", "carol"], decision: try #require(now.events.last)))
        await store.close()
    }

    @Test("break-glass passes a two-person gate alone, only with a reason, and only as an approval")
    func breakGlass() async throws {
        let (store, directory, state) = try await Self.parkedRun(minApprovals: 2)
        defer { directory.remove() }
        for attempt in [Self.answer(true, "alice", breakGlass: true), Self.answer(false, "alice", note: "x", breakGlass: true)] {
            await #expect(throws: GateAnswerError.self) {
                _ = try await attempt.record(in: store, state: state, step: "act", isAlive: true)
            }
        }
        let event = try await Self.answer(true, "alice", note: "site down", breakGlass: true)
            .record(in: store, state: state, step: "act", isAlive: true)
        #expect(event.data.member("break_glass") == .bool(true))
        #expect(event.data.member("reason") == "site down")
        let now = try #require(RunState(events: try await store.events(run: "r1")))
        #expect(now.steps["act"]?.gate?.tally.approved == true)
        await store.close()
    }

    @Test("answers counted after the decision in an old log do not change it")
    func firstDecisionWins() async throws {
        let (store, directory, _) = try await Self.parkedRun()
        defer { directory.remove() }
        _ = try await store.append([
            EventDraft(run: "r1", type: EventType.gateApproved, step: "act", actor: .user("bob")),
            EventDraft(run: "r1", type: EventType.gateDenied, step: "act", actor: .user("carol")),
        ])
        let state = try #require(RunState(events: try await store.events(run: "r1")))
        #expect(state.steps["act"]?.gate?.tally.approved == true)
        #expect(state.steps["act"]?.gate?.answers.count == 1)
        await store.close()
    }

    @Test("50 rounds of an approve and a deny racing in one process: exactly one is recorded")
    func races() async throws {
        for _ in 0..<50 {
            let (store, directory, state) = try await Self.parkedRun()
            let winners = await withTaskGroup(of: Bool?.self) { group in
                for (approve, person) in [(true, "bob"), (false, "carol")] {
                    group.addTask {
                        let recorded = try? await Self.answer(approve, person).record(
                            in: store, state: state, step: "act", isAlive: true)
                        return recorded == nil ? nil : approve
                    }
                }
                return await group.reduce(into: [Bool]()) { winners, won in if let won { winners.append(won) } }
            }
            #expect(winners.count == 1)
            let folded = try #require(RunState(events: try await store.events(run: "r1")))
            #expect(folded.steps["act"]?.gate?.tally.approved == winners.first)
            await store.close()
            directory.remove()
        }
    }
}
