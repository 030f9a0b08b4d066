import Foundation
import RunbookActions
import RunbookLanguage
import Testing

@Suite("sleep, log and the registry")
struct SimpleActionTests {
    @Test func sleepWaits() async throws {
        let started = ContinuousClock.now
        let outputs = try await SleepAction().execute(makeContext(["duration": "200ms"]))
        #expect(outputs.isEmpty)
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func sleepRejectsAMalformedDuration() async {
        let result = await outcome(of: SleepAction(), makeContext(["duration": "90"]))
        #expect(result.failure?.message.hasPrefix("sleep: invalid duration '90'") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func sleepHonoursCancellation() async {
        let task = Task { await outcome(of: SleepAction(), makeContext(["duration": "1h"])) }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let failure = await task.value.failure
        #expect(failure?.message == "cancelled")
        #expect(failure?.code == .cancelled)
    }

    @Test func logReturnsTheMessage() async throws {
        let outputs = try await LogAction().execute(makeContext(["message": "rolled back to v41"]))
        #expect(outputs == ["message": "rolled back to v41"])
        let missing = await outcome(of: LogAction(), makeContext([:]))
        #expect(missing.failure?.message == "log: the parameter 'message' is missing")
    }

    @Test func registryRunsEveryActionOfTheCatalog() {
        #expect(ActionRegistry.builtin.keys.sorted() == ActionCatalog.builtin.names.sorted())
        for (name, action) in ActionRegistry.builtin {
            let catalogSpec = ActionCatalog.builtin[name]
            #expect(catalogSpec != nil)
            #expect(action.spec.name == name)
            #expect(action.spec.summary == catalogSpec?.summary)
            #expect(action.spec.mutating == catalogSpec?.mutating)
        }
        #expect(ActionRegistry.action(named: "shell")?.spec.name == "shell")
        #expect(ActionRegistry.action(named: "k8s.pods")?.spec.name == "k8s.pods")
        #expect(ActionRegistry.action(named: "no.such.action") == nil)
    }
}
