import CSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A command started with `posix_spawn` in a session of its own, its output read on a thread outside Swift's
/// cooperative pool.
///
/// Spawning directly, rather than through a general process library, keeps a step's overhead to one `posix_spawn`,
/// two pipes, a socket pair and a pooled thread: `runbook exec` spends its time in the commands, not around them.
///
/// A command is started gated: it gets descriptor 3, on which ``openGate(go:)`` writes the go-ahead (a newline) or
/// which it closes without one; the arguments must make the command wait for that before doing anything.
final class ShellProcess: Sendable {
    /// The session's process group, led by the command.
    let group: ProcessGroup
    /// Whether the command has been reaped; once it has, its pid may name another process, so it is never signalled.
    private let reaped = Mutex(false)
    /// The read ends of the command's stdout and stderr, handed to ``wait(outputLimit:grace:emit:)``.
    private let output: (stdout: Int32, stderr: Int32)
    /// Runbook's end of the gate, until it is opened or closed.
    private let gate: Mutex<Int32?>

    private init(pid: pid_t, output: (stdout: Int32, stderr: Int32), gate: Int32) {
        self.group = ProcessGroup(id: pid)
        self.output = output
        self.gate = Mutex(gate)
    }

    /// How a command ended.
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// What a finished command left behind: how it ended and the tails of its output.
    struct Run: Sendable {
        var group: ProcessGroup
        var termination: Termination
        var stdout: OutputTail
        var stderr: OutputTail
    }

    /// Starts `executable` with `arguments`, gated.
    /// - Throws: `ActionFailure` when the command cannot be started.
    static func start(
        _ executable: String, _ arguments: [String], environment: ChildEnvironment, directory: String
    ) throws(ActionFailure) -> ShellProcess {
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        var gatePair: [Int32] = [-1, -1]
        guard cspawn_pipe(&stdoutPipe) == 0, cspawn_pipe(&stderrPipe) == 0, cspawn_gate(&gatePair) == 0 else {
            let failure = Self.failure("create the pipes for", executable)
            for descriptor in stdoutPipe + stderrPipe + gatePair where descriptor >= 0 { close(descriptor) }
            throw failure
        }
        var pid: pid_t = 0
        let error = withCStrings([executable] + arguments) { argv in
            environment.withEntries { envp in
                cspawn_session(executable, argv, envp, directory, -1, stdoutPipe[1], stderrPipe[1], gatePair[1], &pid)
            }
        }
        for descriptor in [stdoutPipe[1], stderrPipe[1], gatePair[1]] { close(descriptor) }
        guard error == 0 else {
            for descriptor in [stdoutPipe[0], stderrPipe[0], gatePair[0]] { close(descriptor) }
            throw ActionFailure("shell: could not start \(executable): \(String(cString: strerror(error)))")
        }
        return ShellProcess(pid: pid, output: (stdoutPipe[0], stderrPipe[0]), gate: gatePair[0])
    }

    /// Sends the go-ahead through the gate when `go` is true, then closes it, so a command still waiting reads
    /// end-of-file. Only the first call does anything.
    func openGate(go: Bool) {
        guard let descriptor = gate.withLock({ gate in defer { gate = nil }; return gate }) else { return }
        cspawn_open_gate(descriptor, go ? 1 : 0)
    }

    /// Waits for the command and for the end of its output, passing each line to `emit` as it arrives. A gate not
    /// opened yet is closed without the go-ahead first, so a command is never left waiting for it. When the task is
    /// cancelled the whole group gets SIGTERM, then SIGKILL after `grace`.
    func wait(outputLimit: Int, grace: Duration, emit: @escaping @Sendable (OutputLine) -> Void) async -> Run {
        openGate(go: false)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Run, Never>) in
                // A thread of its own blocks in poll and waitpid for this command. Not `DispatchQueue.global()`:
                // on Linux that pool is also the one Swift's tasks run on, as many threads as CPUs, and a few long
                // commands in parallel would leave no thread to run the tasks (or commit) that the others wait
                // for; a serial queue of its own is served by libdispatch's overcommit pool, which grows on demand.
                DispatchQueue(label: "runbook.shell").async {
                    continuation.resume(returning: self.collect(
                        stdout: self.output.stdout, stderr: self.output.stderr, limit: outputLimit, emit: emit))
                }
            }
        } onCancel: {
            stop(grace: grace)
        }
    }

    /// Reads both pipes to their end, then reaps the command. Blocks the calling thread.
    private func collect(
        stdout: Int32, stderr: Int32, limit: Int, emit: @Sendable (OutputLine) -> Void
    ) -> Run {
        var streams = [
            Stream(descriptor: stdout, kind: .stdout, tail: OutputTail(limit: limit)),
            Stream(descriptor: stderr, kind: .stderr, tail: OutputTail(limit: limit)),
        ]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var polled = streams.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        while streams.contains(where: { $0.isOpen }) {
            for index in polled.indices { polled[index].fd = streams[index].isOpen ? streams[index].descriptor : -1 }
            guard poll(&polled, nfds_t(polled.count), -1) >= 0 || errno == EINTR else { break }
            for index in streams.indices where streams[index].isOpen && polled[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(streams[index].descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    streams[index].take(Array(buffer[..<count]), emit: emit)
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    streams[index].finish(emit: emit)
                }
            }
        }
        return Run(group: group, termination: reap(), stdout: streams[0].tail, stderr: streams[1].tail)
    }

    /// Waits for the command to exit, then reaps it while no signal can be sent to its pid.
    private func reap() -> Termination {
        var info = siginfo_t()
        while waitid(P_PID, id_t(group.id), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        return reaped.withLock { reaped in
            reaped = true
            var status: Int32 = 0
            while waitpid(group.id, &status, 0) < 0, errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
            let signal = status & 0x7f
            return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        }
    }

    /// Sends SIGTERM to the group now, and SIGKILL after `grace` to whatever of it is still running.
    private func stop(grace: Duration) {
        let group = self.group
        reaped.withLock { reaped in
            if !reaped { _ = kill(-group.id, SIGTERM) }
        }
        let milliseconds = Int(grace.components.seconds * 1_000 + grace.components.attoseconds / 1_000_000_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
            if group.hasMembers { kill(-group.id, SIGKILL) }
        }
    }

    private static func failure(_ doing: String, _ executable: String) -> ActionFailure {
        ActionFailure("shell: could not \(doing) \(executable): \(String(cString: strerror(errno)))")
    }

    /// One of the command's output pipes, while it is read.
    private struct Stream {
        let descriptor: Int32
        let kind: OutputLine.Stream
        var tail: OutputTail
        var splitter = LineSplitter()
        var isOpen = true

        init(descriptor: Int32, kind: OutputLine.Stream, tail: OutputTail) {
            self.descriptor = descriptor
            self.kind = kind
            self.tail = tail
        }

        mutating func take(_ bytes: [UInt8], emit: (OutputLine) -> Void) {
            tail.append(bytes)
            for line in splitter.feed(bytes) { emit(OutputLine(stream: kind, text: line)) }
        }

        mutating func finish(emit: (OutputLine) -> Void) {
            if let last = splitter.finish() { emit(OutputLine(stream: kind, text: last)) }
            close(descriptor)
            isOpen = false
        }
    }
}

/// Calls `body` with `strings` as a NULL-terminated array of C strings, valid only during the call.
private func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
