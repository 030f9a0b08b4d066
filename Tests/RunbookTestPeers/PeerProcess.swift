import Foundation

/// A child process started with `posix_spawn` and reaped with `waitpid`.
///
/// Peers use it instead of Foundation's `Process`, whose waiting hangs when the child leaves a daemon behind
/// (`pg_ctl start`) and blocks a thread of Swift's cooperative pool while it waits.
public final class PeerProcess: @unchecked Sendable {
    // Unchecked: `pid` never changes after init; `input` and `status` are only touched under `lock`.
    /// The child's process id.
    public let pid: pid_t
    private var input: Int32?
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `program` with `arguments`, `environment` added to this process's, stdout and stderr appended to the
    /// files at `output` and `error` (or discarded), and stdin a pipe written through `write(_:)` when `pipeInput`,
    /// else empty.
    /// - Throws: `PeerError` when the program cannot be started.
    public init(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], output: String? = nil,
        error: String? = nil, pipeInput: Bool = false
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if pipeInput {
            guard pipe(&pipeEnds) == 0 else { throw PeerError("pipe failed: errno \(errno)") }
            // Other children must not inherit the pipe, or psql would never read end of input.
            for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, error ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { strdup("\($0.key)=\($0.value)") }
            + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        // Threads of Swift's pools block most signals, and a child inherits its spawner's mask: unblock them all, so
        // SIGTERM ends psql.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var child: pid_t = 0
        let result = posix_spawn(&child, program, &actions, &attributes, argv, env)
        if pipeInput { close(pipeEnds[0]) }
        guard result == 0 else {
            if pipeInput { close(pipeEnds[1]) }
            throw PeerError("could not start \(program): \(String(cString: strerror(result)))")
        }
        pid = child
        input = pipeInput ? pipeEnds[1] : nil
    }

    deinit {
        closeInput()
        if reap(blocking: false) == nil {
            kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
    }

    /// Writes `text` to the child's stdin.
    public func write(_ text: String) {
        lock.withLock {
            guard let input else { return }
            _ = text.withCString { Glibc.write(input, $0, strlen($0)) }
        }
    }

    /// Closes the child's stdin (it reads end of input).
    public func closeInput() {
        lock.withLock {
            guard let input else { return }
            close(input)
            self.input = nil
        }
    }

    /// Whether the child still runs.
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Waits for the child to end and returns its exit status (128 + the signal when killed by one).
    @discardableResult
    public func wait() -> Int32 { reap(blocking: true) ?? -1 }

    /// Sends `signal` to the child.
    public func signal(_ signal: Int32) { kill(pid, signal) }

    private func reap(blocking: Bool) -> Int32? {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
            guard reaped == pid else { return reaped < 0 ? -1 : nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return status
        }
    }
}
