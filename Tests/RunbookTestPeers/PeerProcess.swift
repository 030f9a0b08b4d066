import CSpawn
import Foundation

/// A child process started with `posix_spawn` in a session of its own, inheriting no descriptor but its standard
/// input, output and error, and reaped with `waitpid`.
///
/// Tests use it instead of Foundation's `Process`. On Linux, `Process` hands every child one end of a socket pair and
/// calls a blocking `waitpid` on the thread that watches all children as soon as that end closes: a child that
/// closes its inherited descriptors, or leaves a daemon holding them (`pg_ctl start`), stalls every other test's
/// `waitUntilExit`. Its children also inherit the test runner's other pipes, so a reader waits for an end of file
/// that a long-lived server holds back.
public final class PeerProcess: @unchecked Sendable {
    // Unchecked: `pid` never changes after init; `input` and `status` are only touched under `lock`.
    /// The child's process id (also its process group's).
    public let pid: pid_t
    private var input: Int32?
    private let lock = NSLock()
    private var status: Int32?

    /// What a finished process left behind.
    public struct Outcome: Sendable {
        /// The exit status, or 128 + the signal that ended it.
        public var status: Int32
        /// Everything it wrote to standard output.
        public var stdout: String
        /// Everything it wrote to standard error.
        public var stderr: String

        /// An outcome with these parts.
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Starts `program` (a full path) with `arguments` in `directory` (else the current one), with `base` plus
    /// `environment` as its environment, stdout and stderr appended to the files at `output` and `error` (or
    /// discarded), and stdin a pipe written through `write(_:)` when `pipeInput`, else empty.
    /// - Throws: `PeerError` when the program cannot be started.
    public init(
        _ program: String, _ arguments: [String], environment: [String: String] = [:],
        base: [String: String] = ProcessInfo.processInfo.environment, directory: String? = nil,
        output: String? = nil, error: String? = nil, pipeInput: Bool = false
    ) throws {
        var pipeEnds: [Int32] = [-1, -1]
        if pipeInput, cspawn_pipe(&pipeEnds) != 0 { throw PeerError("pipe failed: errno \(errno)") }
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
        let stdout = open(output ?? "/dev/null", flags, 0o644)
        let stderr = open(error ?? "/dev/null", flags, 0o644)
        defer {
            for descriptor in [stdout, stderr, pipeEnds[0]] where descriptor >= 0 { close(descriptor) }
        }
        guard stdout >= 0, stderr >= 0 else {
            if pipeInput { close(pipeEnds[1]) }
            throw PeerError("could not open the output files of \(program): errno \(errno)")
        }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let env = base.merging(environment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = cspawn_session(program, argv, env, directory, pipeEnds[0], stdout, stderr, -1, &child)
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

    /// Runs `program` to its end and returns its status and output; blocks the calling thread.
    /// - Parameters:
    ///   - input: written to its standard input, which is then closed (none: an empty input).
    /// - Throws: `PeerError` when it cannot be started.
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String] = [:],
        base: [String: String] = ProcessInfo.processInfo.environment, directory: String? = nil, input: String? = nil
    ) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("peer-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path
        let process = try PeerProcess(
            program, arguments, environment: environment, base: base, directory: directory, output: outPath,
            error: errPath, pipeInput: input != nil)
        if let input {
            process.write(input)
            process.closeInput()
        }
        let status = process.wait()
        let read = { (path: String) in
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Outcome(status: status, stdout: read(outPath), stderr: read(errPath))
    }

    /// Writes `text` to the child's stdin (nothing happens when the child no longer reads it).
    public func write(_ text: String) {
        // A child that has exited closes the pipe: the write then fails with EPIPE instead of killing the tests.
        _ = Self.ignoreBrokenPipes
        lock.withLock {
            guard let input else { return }
            _ = text.withCString { Glibc.write(input, $0, strlen($0)) }
        }
    }

    private static let ignoreBrokenPipes: Void = { _ = Glibc.signal(SIGPIPE, SIG_IGN) }()

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

    /// Waits up to `seconds` for the child to end, then kills its process group; returns its exit status.
    @discardableResult
    public func wait(seconds: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if isRunning { kill(-pid, SIGKILL) }
        return wait()
    }

    /// Sends `signal` to the child.
    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Kills the child's whole process group and reaps the child.
    public func stop() {
        if isRunning { kill(-pid, SIGKILL) }
        wait()
    }

    /// The exit status once the child has ended, else nil; waits for the end when `blocking`. The blocking wait
    /// runs outside the lock (waitid with WNOWAIT leaves the child to be reaped under it), so `write`, `closeInput`
    /// and `isRunning` from other threads never wait behind it.
    private func reap(blocking: Bool) -> Int32? {
        if blocking, lock.withLock({ status == nil }) {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
        }
        return lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &raw, WNOHANG) } while reaped < 0 && errno == EINTR
            guard reaped == pid else { return reaped < 0 ? -1 : nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return status
        }
    }
}
