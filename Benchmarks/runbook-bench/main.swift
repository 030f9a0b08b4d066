import Foundation
import RunbookLanguage
import Yams

// Benchmarks for the language layer, each printed as a figure and as a ratio against a baseline measured in the
// same process: validation against parsing the same YAML alone, start-up against spawning /bin/true, a timeline of
// 100,000 events against writing their lines out as NDJSON.
// Usage: runbook-bench PATH-TO-RUNBOOK-BINARY [RUNBOOKS-DIR] [--no-store | --postgres]

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: runbook-bench RUNBOOK-BINARY\n".utf8))
    exit(2)
}
let binary = arguments[1]
let skipsStore = arguments.contains("--no-store")
// `--postgres`: only the PostgreSQL store's figures.
if arguments.contains("--postgres") {
    await PostgresBenchmarks.run(binary: binary)
    exit(0)
}

/// Seconds taken by `body`, best of `rounds`.
func measure(rounds: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return best
}

/// A realistic 20-step runbook: diagnostics in parallel, gated remediation, expressions, retries.
func generatedRunbook(_ number: Int) -> (name: String, text: String) {
    let name = "generated-\(number)"
    var text = """
        name: \(name)
        title: Generated runbook \(number)
        owner: platform-team
        severity: SEV2
        rto: 15m
        tags: [bench, generated]
        inputs:
          cluster: { type: string, default: prod-cluster, pattern: "^[a-z0-9-]+$" }
          service: { type: string, default: api, pattern: "^[a-z0-9-]+$" }
          health_url: { type: string, default: "http://127.0.0.1:8080/health" }
          replicas: { type: int, default: 4 }
        triggers:
          - source: alertmanager
            match: { alertname: APIDown\(number) }
            inputs: { service: "${{ alert.labels.service }}" }
        steps:

        """
    for index in 0..<20 {
        switch index % 5 {
        case 0:
            text += """
                  - id: health-\(index)
                    action: http.check
                    with: { url: "${{ inputs.health_url }}", expect_status: [200, 204] }
                    continue_on_error: true
                    needs: []

                """
        case 1:
            text += """
                  - id: service-\(index)
                    name: ECS service status \(index)
                    action: ecs.service
                    with: { cluster: "${{ inputs.cluster }}", service: "${{ inputs.service }}" }

                """
        case 2:
            text += """
                  - id: stopped-\(index)
                    action: ecs.stopped_tasks
                    with: { cluster: "${{ inputs.cluster }}", service: "${{ inputs.service }}", limit: 10 }
                    needs: [service-\(index - 1)]

                """
        case 3:
            text += """
                  - id: scale-\(index)
                    if: ${{ steps.stopped-\(index - 1).outputs.oom_count > 0 && steps.health-\(index - 3).outcome == 'failure' }}
                    action: ecs.scale
                    with: { cluster: "${{ inputs.cluster }}", service: "${{ inputs.service }}", desired_count: 4 }
                    needs: [stopped-\(index - 1), health-\(index - 3)]
                    confirm: { message: "Scale ${{ inputs.service }} to ${{ inputs.replicas }} tasks?", timeout: 5m }

                """
        default:
            text += """
                  - id: verify-\(index)
                    run: curl -fsS ${{ inputs.health_url }} && echo "ok=${{ inputs.service }}" >> "$RUNBOOK_OUTPUT"
                    mutating: false
                    retry: { attempts: 10, delay: 15s, backoff: exponential, until: "steps.verify-\(index).outputs.ok != ''" }
                    recovery: true

                """
        }
    }
    return (name, text)
}

let runbooks = (0..<1_000).map(generatedRunbook)
let loader = RunbookLoader()
for runbook in runbooks.prefix(3) {
    if case .failure(let failure) = loader.load(text: runbook.text, file: "\(runbook.name).yaml") {
        FileHandle.standardError.write(Data("generated runbook is invalid:\n\(failure)\n".utf8))
        exit(1)
    }
}
let parseOnly = try measure {
    for runbook in runbooks { _ = try Parser(yaml: runbook.text, resolver: .basic).singleRoot() }
}
let validate = measure {
    for runbook in runbooks { _ = loader.load(text: runbook.text, file: "\(runbook.name).yaml") }
}
let perRunbook = validate / Double(runbooks.count) * 1_000
print("validate: \(runbooks.count) runbooks of 20 steps")
print(String(format: "  per runbook        %.3f ms   (goal < 1 ms)", perRunbook))
print(String(format: "  YAML parse alone   %.3f ms   (baseline)", parseOnly / Double(runbooks.count) * 1_000))
print(String(format: "  ratio              %.2fx the YAML parse", validate / parseOnly))

/// Average wall time of spawning `path arguments` to completion.
func spawnTime(_ path: String, _ arguments: [String], runs: Int) -> Double {
    let spawner = Spawner(path, arguments)
    return measure(rounds: 3) {
        for _ in 0..<runs { _ = spawner.run() }
    } / Double(runs)
}

/// Median wall times of spawning each command to completion, the commands taking turns `runs` times: the machine's
/// moods (another VM, a writeback) fall on all of them alike, so their ratios move less from one `make bench` to the
/// next than when one command was measured after the other (1.82x to 2.27x for the same build on one afternoon).
func interleavedSpawnTimes(_ commands: [(String, [String])], runs: Int) -> [Double] {
    let spawners = commands.map { Spawner($0.0, $0.1) }
    var times = Array(repeating: [Double](), count: spawners.count)
    for _ in 0..<runs {
        for (index, spawner) in spawners.enumerated() { times[index].append(spawner.run()) }
    }
    return times.map { $0.sorted()[$0.count / 2] }
}

/// A command spawned with its stdout on /dev/null, timed from `posix_spawn` to `waitpid`.
final class Spawner {
    private let path: String
    private let argv: [UnsafeMutablePointer<CChar>?]
    private var fileActions = posix_spawn_file_actions_t()

    init(_ path: String, _ arguments: [String]) {
        self.path = path
        argv = ([path] + arguments).map { strdup($0) } + [nil]
        posix_spawn_file_actions_init(&fileActions)
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
    }

    deinit {
        posix_spawn_file_actions_destroy(&fileActions)
        argv.forEach { free($0) }
    }

    /// Seconds from spawning the command to reaping it; 0 when it cannot be spawned.
    func run() -> Double {
        var pid: pid_t = 0
        let start = ContinuousClock.now
        guard posix_spawn(&pid, path, &fileActions, nil, argv, environ) == 0 else { return 0 }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

let trueTime = spawnTime("/bin/true", [], runs: 50)
let versionTime = spawnTime(binary, ["--version"], runs: 50)
print("start-up: runbook --version")
print(String(format: "  runbook --version  %.2f ms   (goal < 20 ms)", versionTime * 1_000))
print(String(format: "  /bin/true          %.2f ms   (baseline)", trueTime * 1_000))
print(String(format: "  ratio              %.1fx /bin/true", versionTime / trueTime))
if arguments.count >= 3 {
    let validateTime = spawnTime(binary, ["validate", "-q", arguments[2]], runs: 10)
    print(String(format: "  runbook validate %@  %.2f ms", arguments[2], validateTime * 1_000))
}
try ExecBenchmark.run(binary: binary)
try ServeBenchmark.run(binary: binary)
if !skipsStore {
    await StoreBenchmarks.run()
    await PostgresBenchmarks.run(binary: binary)
}
await TimelineBenchmark.run()
