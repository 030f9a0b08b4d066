import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore
#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `runbook exec --detach`: the run goes to a runner process of its own that belongs to no terminal — a new
/// session, standard input from `/dev/null`, its output to `logs/RUN.log` beside the store — and this process
/// returns once the run's `run.started` is durable.
///
/// The runner is this program again, given the same request without `--detach` and the run's id in
/// ``runVariable``: everything a person could get wrong was checked here first, so its mistakes are reported at the
/// terminal with their usual exit codes.
struct DetachedRunner {
    /// The variable that hands the runner the id this process chose, so that it can print it before the run starts.
    static let runVariable = "RUNBOOK_DETACHED_RUN"

    let workspace: Workspace
    let context: CommandContext

    /// Where the runner of `run` writes its output.
    func logPath(of run: String) -> String {
        (workspace.stateDirectory as NSString).appendingPathComponent("logs/\(run).log")
    }

    /// Starts the runner for `request` (whose run is `options`) and waits until its `run.started` is durable.
    /// - Returns: the runner's process id, and the run's `run.started`.
    /// - Throws: `CommandFailure` when the runner cannot be started, or ends before the run started.
    func launch(_ request: ExecRequest, options: RunOptions, store: any EventStore) async throws
        -> (pid: Int32, started: AuditEvent)
    {
        let log = logPath(of: options.runID)
        try? FileManager.default.createDirectory(
            atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var environment = context.environment.all
        environment[Self.runVariable] = options.runID
        let pid = try Self.spawn(
            "/proc/self/exe", ["runbook"] + Self.arguments(request, options: options),
            environment: environment.map { "\($0.key)=\($0.value)" }, log: log)
        while true {
            let head: Int64
            do throws(StoreError) {
                head = try await store.head()?.seq ?? 0
                if let started = try await store.events(run: options.runID, after: 0, types: [EventType.runStarted])
                    .first
                {
                    return (pid, started)
                }
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2_000)) }
                throw CommandFailure(
                    "the detached runner of run \(options.runID) ended before the run started"
                        + (tail.map { ":\n" + $0 } ?? ""),
                    hint: "its output is in \(log)", status: .internalError)
            }
            _ = try? await store.waitForEvents(after: head, timeout: .milliseconds(200))
        }
    }

    /// The runner's command line: the request as given, without `--detach`, with `--since` resolved here.
    static func arguments(_ request: ExecRequest, options: RunOptions) -> [String] {
        var arguments = ["exec", request.name]
        func add(_ option: String, _ value: String?) {
            if let value { arguments += [option, value] }
        }
        add("--runbooks", request.runbooks)
        add("--store", request.store)
        add("--config", request.config)
        for input in request.inputs { arguments += ["--input", input] }
        add("--env", request.env)
        add("--severity", request.severity)
        add("--reason", request.reason)
        add("--incident", request.incident)
        add("--since", request.since == nil ? nil : options.incidentStart)
        if request.yes { arguments.append("--yes") }
        return arguments
    }

    /// `posix_spawn` of `program` in a new session (`POSIX_SPAWN_SETSID`), stdin from `/dev/null`, stdout and
    /// stderr appended to `log`.
    private static func spawn(_ program: String, _ arguments: [String], environment: [String], log: String)
        throws -> Int32
    {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26): the runner leads a session of its own, so no terminal's hang-up reaches it.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw CommandFailure("cannot start a detached runner: \(String(cString: strerror(result)))",
                                 status: .internalError)
        }
        return pid
    }
}
