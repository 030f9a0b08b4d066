import Foundation
import RunbookLanguage
import RunbookPostgres
import RunbookStore

/// The team store's figures against a durable PostgreSQL (fsync and synchronous_commit on) started for the run in a
/// temporary folder, each beside a baseline measured in the same process: `exec` of 20 steps against the shell script,
/// group-committed appends from 8 connections against one transaction per event, the wake of a waiting store after
/// another connection's append (what carries an approval to the gated run), and `verify()` of a million events against
/// a plain `SELECT` of the same rows. Skipped, saying why, when no PostgreSQL server is installed.
enum PostgresBenchmarks {
    /// Concurrent connections appending.
    static let writers = 8
    /// Single-event appends in the append measurement, spread over the writers.
    static let totalAppends = 40_000
    /// Events in the verification benchmark.
    static let verifiedEvents = 1_000_000
    /// Rounds of the wake measurement.
    static let wakeRounds = 300

    static func run(binary: String) async {
        do {
            let server = try BenchPostgres()
            defer { server.stop() }
            try await execBenchmark(binary: binary, server: server)
            try await appendBenchmark(server: server)
            try await wakeBenchmark(server: server)
            try await verifyBenchmark(server: server)
        } catch {
            FileHandle.standardError.write(Data("PostgreSQL benchmark skipped or failed: \(error)\n".utf8))
        }
    }

    /// `exec` of 20 `true` steps on the PostgreSQL store, against the same commands in a shell script.
    private static func execBenchmark(binary: String, server: BenchPostgres) async throws {
        let conninfo = try server.freshDatabase("exec")
        let (folder, script, arguments) = try ExecBenchmark.workspace(store: conninfo)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard Spawner(binary, arguments).run() > 0 else { throw BenchmarkFailure("runbook exec could not start") }
        let times = interleavedSpawnTimes([(binary, arguments), ("/bin/sh", [script.path])], runs: 30)
        let store = try PostgresEventStore(conninfo: conninfo)
        let finished = try await store.events(after: 0, limit: 100_000).filter { $0.type == EventType.runFinished }.count
        await store.close()
        guard finished >= 31 else { throw BenchmarkFailure("only \(finished) of the exec runs finished") }
        print("postgres exec: a 20-step runbook of `true`, every event durable in PostgreSQL (medians of 30 turns)")
        print(String(format: "  runbook exec       %.1f ms   (%.2f ms a step)", times[0] * 1_000, times[0] * 1_000 / 20))
        print(String(format: "  sh script          %.1f ms   (baseline)", times[1] * 1_000))
        print(String(format: "  ratio              %.2fx the shell script   (goal < 3x)", times[0] / times[1]))
    }

    /// Durable appends per second from 8 connections, against one transaction per event on one connection.
    private static func appendBenchmark(server: BenchPostgres) async throws {
        let conninfo = try server.freshDatabase("append")
        let stores = try (0..<writers).map { _ in try PostgresEventStore(conninfo: conninfo) }
        let perWriter = totalAppends / writers
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (writer, store) in stores.enumerated() {
                // Each connection carries several runs' appends at once, as a serve worker does.
                for lane in 0..<8 {
                    group.addTask {
                        for index in 0..<(perWriter / 8) {
                            _ = try await store.append([StoreBenchmarks.event(writer: writer * 8 + lane, index: index)])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = seconds(ContinuousClock.now - start)
        let report = try await stores[0].verify()
        guard report.isIntact, report.checked == Int64(totalAppends) else {
            throw BenchmarkFailure("the append benchmark's log does not verify: \(report)")
        }
        for store in stores { await store.close() }
        let rate = Double(totalAppends) / elapsed

        guard case .success(let connection) = PostgresConnection.connect(conninfo) else {
            throw BenchmarkFailure("cannot connect for the baseline")
        }
        try connection.execute("CREATE TABLE plain (seq bigint PRIMARY KEY, line text NOT NULL)")
        let line = String(repeating: "x", count: 400)
        let baselineStart = ContinuousClock.now
        for seq in 0..<2_000 {
            try connection.execute("BEGIN; INSERT INTO plain VALUES (\(seq), '\(line)'); COMMIT")
        }
        let baselineRate = 2_000 / seconds(ContinuousClock.now - baselineStart)
        print(String(
            format: "postgres append: %d connections  %.0f events/s  (goal > 10,000)  baseline: one txn per event "
                + "%.0f events/s  ratio %.1fx", writers, rate, baselineRate, rate / baselineRate))
    }

    /// How long after one connection's append another store waiting in `waitForEvents` wakes (its `NOTIFY`): what
    /// an approval from another process takes to reach the gated run, before the step starts.
    private static func wakeBenchmark(server: BenchPostgres) async throws {
        let conninfo = try server.freshDatabase("wake")
        let waiting = try PostgresEventStore(conninfo: conninfo)
        let answering = try PostgresEventStore(conninfo: conninfo)
        _ = try await answering.append([StoreBenchmarks.event(writer: 0, index: 0)])
        _ = try await waiting.waitForEvents(after: 0, timeout: .seconds(1))
        var latencies: [Double] = []
        var appendOnly: [Double] = []
        for round in 1...wakeRounds {
            let seq = Int64(round)
            async let woke: Bool = waiting.waitForEvents(after: seq, timeout: .seconds(5))
            try await Task.sleep(for: .milliseconds(5))
            let start = ContinuousClock.now
            _ = try await answering.append([StoreBenchmarks.event(writer: 1, index: round)])
            appendOnly.append(seconds(ContinuousClock.now - start))
            guard try await woke else { throw BenchmarkFailure("a wait did not wake within 5 s") }
            latencies.append(seconds(ContinuousClock.now - start))
        }
        await waiting.close()
        await answering.close()
        let p99 = latencies.sorted()[latencies.count * 99 / 100]
        let median = latencies.sorted()[latencies.count / 2]
        print(String(
            format: "postgres wake: append on one connection -> waitForEvents wakes on another  p50 %.1f ms  p99 %.1f ms"
                + "  (goal p99 < 50 ms)  baseline: the append alone p50 %.1f ms", median * 1_000, p99 * 1_000,
            appendOnly.sorted()[appendOnly.count / 2] * 1_000))
    }

    /// `verify()` of a million events, against a plain `SELECT` of the same columns.
    private static func verifyBenchmark(server: BenchPostgres) async throws {
        let conninfo = try server.freshDatabase("verify")
        let store = try PostgresEventStore(conninfo: conninfo)
        let batch = 10_000
        for start in stride(from: 0, to: verifiedEvents, by: batch) {
            _ = try await store.append(
                (start..<(start + batch)).map { StoreBenchmarks.event(writer: $0 % 8, index: $0) })
        }
        var best = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let report = try await store.verify()
            best = min(best, seconds(ContinuousClock.now - start))
            guard report.isIntact, report.checked == Int64(verifiedEvents) else {
                throw BenchmarkFailure("the verify benchmark's log does not verify: \(report)")
            }
        }
        await store.close()
        guard case .success(let connection) = PostgresConnection.connect(conninfo) else {
            throw BenchmarkFailure("cannot connect for the baseline")
        }
        var baseline = Double.infinity
        for _ in 0..<3 {
            var rows = 0
            var bytes = 0
            let start = ContinuousClock.now
            try connection.query(
                "SELECT seq, line, run, incident, type, step, hash, prev FROM events ORDER BY seq") { row in
                rows += 1
                bytes += row.utf8(1).count
            }
            baseline = min(baseline, seconds(ContinuousClock.now - start))
            guard rows == verifiedEvents, bytes > 0 else { throw BenchmarkFailure("the plain SELECT read \(rows) rows") }
        }
        print(String(
            format: "postgres verify: %d events  %.2f s  (goal < 3 s)  baseline: plain SELECT %.2f s  ratio %.1fx",
            verifiedEvents, best, baseline, best / baseline))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
