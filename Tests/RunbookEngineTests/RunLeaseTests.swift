import Foundation
import RunbookEngine
import RunbookStore
import Testing

/// A run's lease: the lock, the holder and heartbeat in its file, and when it counts as lapsed.
@Suite("Run leases")
struct RunLeaseTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lease-\(UUID().uuidString)").path

    @Test("the lease file names this process with a fresh heartbeat; a second taker is refused")
    func holderAndHeartbeat() throws {
        let lease = try RunLease(directory: directory, run: "r-1")
        let holder = try #require(RunLease.holder(directory: directory, run: "r-1"))
        #expect(holder.host == ProcessInfo.processInfo.hostName)
        #expect(holder.pid == Int64(getpid()))
        #expect(holder.bootID == RunLeaseHolder.bootID)
        #expect(abs(holder.heartbeat.timeIntervalSinceNow) < 5)
        #expect(RunLease.isHeld(directory: directory, run: "r-1"))
        #expect(RunLease.lapse(directory: directory, run: "r-1") == nil)
        #expect(throws: LeaseError.self) { try RunLease(directory: directory, run: "r-1") }
        let later = Date().addingTimeInterval(30)
        lease.beat(at: later)
        #expect(RunLease.holder(directory: directory, run: "r-1")?.heartbeat.timeIntervalSince(later) ?? 99 < 1)
        #expect(RunLease.runs(directory: directory) == ["r-1"])
    }

    @Test("a lease let go for takeover keeps its file: it lapsed, and the next taker learns who held it")
    func takeover() throws {
        var lease: RunLease? = try RunLease(directory: directory, run: "r-2")
        lease?.leaveForTakeover()
        lease = nil
        #expect(!RunLease.isHeld(directory: directory, run: "r-2"))
        #expect(RunLease.lapse(directory: directory, run: "r-2") == "no live process holds its lock on this host")
        let next = try RunLease(directory: directory, run: "r-2")
        #expect(next.previous?.pid == Int64(getpid()))
        withExtendedLifetime(next) {}
        lease = try RunLease(directory: directory, run: "r-3")
        lease = nil
        #expect(RunLease.runs(directory: directory).contains("r-3") == false, "a lease let go normally removes its file")
    }

    @Test("a runner on another host is live while its heartbeat is younger than the lease period")
    func otherHost() {
        let now = Date()
        let fresh = RunLeaseHolder(host: "elsewhere", pid: 7, bootID: "b", heartbeat: now.addingTimeInterval(-3))
        #expect(fresh.lapse(held: false, now: now) == nil)
        let stale = RunLeaseHolder(host: "elsewhere", pid: 7, bootID: "b", heartbeat: now.addingTimeInterval(-60))
        #expect(stale.lapse(held: false, now: now)?.contains("heartbeat is 60s old") == true)
        let here = RunLeaseHolder.current(at: now.addingTimeInterval(-60))
        #expect(here.lapse(held: true, now: now) == nil, "on this host the lock decides, not the heartbeat's age")
    }

    @Test("a run taken over by serve is run by a server (a cancel is a request) until another process resumes it")
    func takenOverFold() async throws {
        let store = InMemoryEventStore()
        let runner = RunLeaseHolder.current()
        _ = try await store.append([
            EventDraft(run: "r1", actor: .user("alice"), RunStarted(
                runbook: "fix", file: "fix.yaml", runbookDigest: nil, runbookSource: nil, title: nil, severity: "SEV3",
                inputs: nil, pid: 1, host: runner.host, steps: 1)),
            EventDraft(run: "r1", actor: .system, RunTakenOver(
                fromHost: runner.host, fromPID: 1, fromHeartbeat: nil, host: runner.host, pid: 2, reason: "gone")),
            EventDraft(run: "r1", actor: .system, RunResumed(pid: 2, host: runner.host, rerun: [])),
        ])
        let served = try #require(RunState(events: try await store.events(run: "r1")))
        #expect(served.isRunByServer && !served.isServed && served.pid == 2)
        _ = try await store.append([
            EventDraft(run: "r1", actor: .user("bob"), RunResumed(pid: 3, host: runner.host, rerun: [])),
        ])
        let resumed = try #require(RunState(events: try await store.events(run: "r1")))
        #expect(!resumed.isRunByServer, "a runbook resume after the server is signalled, not asked")
    }
}
