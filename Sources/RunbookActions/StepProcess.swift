import Foundation
import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Who a step's process is, recorded before it may act (in `step.started`, or `step.retry` for a later attempt), so
/// that a runner continuing an interrupted run can tell whether the process it left is still at work, wait for it,
/// and learn how it ended, instead of starting a second copy.
///
/// A pid alone is not an identity: the kernel gives it to another process once it is reaped. The process's start
/// time (field 22 of `/proc/PID/stat`, clock ticks since boot) and the host's boot id make it one.
public struct StepProcess: Sendable, Hashable {
    /// The host it runs on.
    public var host: String
    /// The boot id of that host, when it started.
    public var bootID: String
    /// Its pid.
    public var pid: Int64
    /// The process group it leads, which holds everything it started.
    public var group: Int64
    /// When it started, in clock ticks since boot.
    public var startTime: Int64
    /// Where it writes its exit status when its command ends, so a later runner can read it.
    public var statusFile: String?
    /// The `$RUNBOOK_OUTPUT` file it writes its outputs to.
    public var outputFile: String?

    /// Creates an identity as given.
    public init(
        host: String, bootID: String, pid: Int64, group: Int64, startTime: Int64, statusFile: String? = nil,
        outputFile: String? = nil
    ) {
        self.host = host
        self.bootID = bootID
        self.pid = pid
        self.group = group
        self.startTime = startTime
        self.statusFile = statusFile
        self.outputFile = outputFile
    }

    /// This host's boot id (`/proc/sys/kernel/random/boot_id`); empty where the kernel does not tell it.
    public static let bootID: String = {
        let text = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    /// The identity of `pid`, a live process of this host leading its own group; nil when `/proc` does not show it.
    static func of(pid: pid_t, statusFile: String?, outputFile: String?) -> StepProcess? {
        guard let stat = ProcessStat(pid: pid) else { return nil }
        return StepProcess(
            host: ProcessInfo.processInfo.hostName, bootID: bootID, pid: Int64(pid), group: Int64(stat.group),
            startTime: stat.startTime, statusFile: statusFile, outputFile: outputFile)
    }

    /// Whether it ran on this machine since its last boot: only then do its pid and group name anything here.
    public var isOnThisHost: Bool {
        host == ProcessInfo.processInfo.hostName && !bootID.isEmpty && bootID == Self.bootID
    }

    /// Whether any of its group is still running on this host.
    ///
    /// The group counts as this one's while its leader's pid names this very process (same start time), or names no
    /// process at all: the kernel gives no new process a pid that is a live group's id. A pid taken by another
    /// process means the group ended long ago.
    public var isRunning: Bool {
        guard isOnThisHost, let pid = pid_t(exactly: pid), let group = pid_t(exactly: group) else { return false }
        if let leader = ProcessStat(pid: pid), leader.startTime != startTime { return false }
        return ProcessGroup(id: group).hasMembers
    }

    /// Waits until no process of its group runs any more, checking every `interval`.
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    public func waitForEnd(interval: Duration = .milliseconds(100)) async throws {
        while isRunning { try await Task.sleep(for: interval) }
    }

    /// Sends SIGTERM to its group, then SIGKILL after `grace` to whatever of it is still running.
    public func terminate(grace: Duration) async {
        guard isRunning, let group = pid_t(exactly: group) else { return }
        await ProcessGroup(id: group).terminate(grace: grace)
    }

    /// How its command ended as its status file says, with the outputs it wrote; nil when it left no status (it is
    /// still running, or was killed before its command ended).
    public func recordedEnd() -> (status: Int32, outputs: [String: String])? {
        guard let statusFile, let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
            let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        let outputs = outputFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            .map(RunbookOutputFile.parse) ?? [:]
        return (status, outputs)
    }

    /// Deletes the files it left (its status and outputs), once they have been read or are of no more use.
    public func removeFiles() {
        for file in [statusFile, outputFile].compactMap({ $0 }) { unlink(file) }
    }

    /// The identity as an event records it.
    public var value: Value {
        var fields: [String: Value] = [
            "host": .string(host), "boot_id": .string(bootID), "pid": .number(Double(pid)),
            "group": .number(Double(group)), "start_time": .number(Double(startTime)),
        ]
        if let statusFile { fields["status_file"] = .string(statusFile) }
        if let outputFile { fields["output_file"] = .string(outputFile) }
        return .object(fields)
    }

    /// Reads an identity an event recorded; nil when `value` is not one.
    public init?(value: Value) {
        guard case .string(let host) = value.member("host"), case .string(let bootID) = value.member("boot_id"),
            case .number(let pid) = value.member("pid"), case .number(let group) = value.member("group"),
            case .number(let startTime) = value.member("start_time"),
            let pid = Int64(exactly: pid), let group = Int64(exactly: group), let startTime = Int64(exactly: startTime)
        else { return nil }
        var statusFile: String?
        var outputFile: String?
        if case .string(let file) = value.member("status_file") { statusFile = file }
        if case .string(let file) = value.member("output_file") { outputFile = file }
        self.init(host: host, bootID: bootID, pid: pid, group: group, startTime: startTime, statusFile: statusFile,
                  outputFile: outputFile)
    }
}

/// The fields of `/proc/PID/stat` a step's identity needs.
private struct ProcessStat {
    /// The process group id (field 5).
    let group: Int32
    /// The start time in clock ticks since boot (field 22).
    let startTime: Int64

    /// The fields of `pid`; nil when it names no process (or `/proc` cannot be read).
    init?(pid: pid_t) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name, which may hold spaces and parentheses: field 3 (state) onwards.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 19, let group = Int32(fields[2]), let startTime = Int64(fields[19]) else { return nil }
        self.group = group
        self.startTime = startTime
    }
}
