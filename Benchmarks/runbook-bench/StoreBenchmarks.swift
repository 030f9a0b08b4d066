import Foundation
import RunbookLanguage
@_spi(Benchmarks) import RunbookStore

/// Benchmarks for the embedded event store, each printed as a figure and as a ratio against a baseline measured in
/// the same process: group-committed appends from concurrent writers against one transaction per event, and
/// `verify()` over a million events against reading the same rows with a plain `SELECT`.
enum StoreBenchmarks {
    /// Concurrent writer tasks in the append benchmark: as many runs as a busy `serve` has open, and a few.
    static let writerCounts = [8, 32]
    /// Single-event appends in each measurement, spread over the writers.
    static let totalAppends = 40_000
    /// Events in the verification benchmark.
    static let verifiedEvents = 1_000_000

    /// Runs both benchmarks in temporary directories and prints their figures.
    static func run() async {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-store-bench-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            for writers in writerCounts {
                try await appendBenchmark(writers: writers, in: root + "/append-\(writers)")
            }
            try await verifyBenchmark(in: root + "/verify")
        } catch {
            FileHandle.standardError.write(Data("store benchmark failed: \(error)\n".utf8))
        }
    }

    /// (a) Durable appends per second from concurrent writers, against one transaction per event.
    private static func appendBenchmark(writers: Int, in directory: String) async throws {
        let appendsPerWriter = totalAppends / writers
        var best = Double.infinity
        for round in 0..<3 {
            let store = try SQLiteEventStore(path: "\(directory)/group-\(round).db")
            let drafts = (0..<writers).map { writer in
                (0..<appendsPerWriter).map { index in event(writer: writer, index: index) }
            }
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for draft in drafts[writer] {
                            _ = try await store.append([draft])
                        }
                    }
                }
                try await group.waitForAll()
            }
            best = min(best, seconds(ContinuousClock.now - start))
            let report = try await store.verify()
            await store.close()
            guard report.isIntact, report.checked == Int64(writers * appendsPerWriter) else {
                throw StoreError("the append benchmark's log does not verify: \(report)")
            }
        }
        let rate = Double(writers * appendsPerWriter) / best

        let baselineEvents = (0..<2_000).map { event(writer: $0 % writers, index: $0) }
        let baselineTime = try SQLiteBaseline.insertEachInOwnTransaction(
            baselineEvents, path: "\(directory)/baseline.db")
        let baselineRate = Double(baselineEvents.count) / seconds(baselineTime)
        print(
            "audit append: \(writers) writers  \(grouped(rate)) events/s  (goal > 20,000)  "
                + "baseline: one txn per event \(grouped(baselineRate)) events/s  ratio \(ratio(rate / baselineRate))")
    }

    /// (b) `verify()` over a million events, against a plain `SELECT` of the same rows.
    private static func verifyBenchmark(in directory: String) async throws {
        let path = "\(directory)/verify.db"
        let store = try SQLiteEventStore(path: path)
        let buildStart = ContinuousClock.now
        let batch = 10_000
        let builders = 4
        try await withThrowingTaskGroup(of: Void.self) { group in
            for builder in 0..<builders {
                group.addTask {
                    for start in stride(from: builder * batch, to: verifiedEvents, by: builders * batch) {
                        _ = try await store.append(
                            (start..<(start + batch)).map { event(writer: $0 % 8, index: $0) })
                    }
                }
            }
            try await group.waitForAll()
        }
        let buildTime = seconds(ContinuousClock.now - buildStart)

        var best = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let report = try await store.verify()
            best = min(best, seconds(ContinuousClock.now - start))
            guard report.isIntact, report.checked == Int64(verifiedEvents) else {
                throw StoreError("the verify benchmark's log does not verify: \(report)")
            }
        }
        await store.close()

        var baseline = Double.infinity
        for _ in 0..<3 {
            let scan = try SQLiteBaseline.scan(path: path)
            guard scan.rows == verifiedEvents else { throw StoreError("the plain scan read \(scan.rows) rows") }
            baseline = min(baseline, seconds(scan.duration))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(
            "audit verify: \(grouped(Double(verifiedEvents))) events  \(String(format: "%.2f", best)) s  (goal < 2 s)  "
                + "baseline: plain SELECT \(String(format: "%.2f", baseline)) s  ratio \(ratio(best / baseline))  "
                + "[log built in \(String(format: "%.1f", buildTime)) s, \(size / 1_000_000) MB]")
    }

    /// A realistic `step.finished` event of about 400 bytes.
    @Sendable static func event(writer: Int, index: Int) -> EventDraft {
        EventDraft(
            run: "r-20261122-100400-\(String(writer, radix: 16))f3a", incident: "inc-20261122-api-down",
            type: "step.finished", step: "check-health-\(index % 20)", actor: .system,
            data: [
                "outcome": "success", "duration_ms": .number(Double(index % 5_000)), "attempt": 1,
                "outputs_digest": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "outputs": ["status": 200, "body": "{\"status\":\"ok\",\"replicas\":4}", "latency_ms": 12.5],
            ])
    }

    /// A duration in seconds.
    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `value` rounded, with thousands separators: `34,512`.
    private static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// A ratio as `28x` (or `1.4x` below 10).
    private static func ratio(_ value: Double) -> String {
        value >= 10 ? "\(Int(value.rounded()))x" : String(format: "%.1fx", value)
    }
}
