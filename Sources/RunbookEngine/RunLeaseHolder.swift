import Foundation
import RunbookActions
import RunbookLanguage

/// Who holds a run's lease, as its lease file says: the runner's host, process and boot, and its last heartbeat.
/// The file is rewritten at every heartbeat and never enters the audit log (see docs/decisions.md).
public struct RunLeaseHolder: Sendable, Equatable, Codable {
    /// The host the runner runs on.
    public var host: String
    /// Its process id.
    public var pid: Int64
    /// The kernel's boot id of that host (`/proc/sys/kernel/random/boot_id`), so a pid from before a reboot is not
    /// taken for a live process.
    public var bootID: String
    /// When the runner last said it was alive.
    public var heartbeat: Date

    enum CodingKeys: String, CodingKey {
        case host, pid, bootID = "boot_id", heartbeat
    }

    /// This process, now.
    public static func current(at now: Date = Date()) -> RunLeaseHolder {
        RunLeaseHolder(host: ProcessInfo.processInfo.hostName, pid: Int64(getpid()), bootID: bootID, heartbeat: now)
    }

    /// This host's boot id (read once, by ``StepProcess``); empty where the kernel does not tell it.
    public static var bootID: String { StepProcess.bootID }

    /// Whether this holder runs on this machine, since its boot: only then does its `flock` prove it alive.
    public var isOnThisHost: Bool { host == ProcessInfo.processInfo.hostName && bootID == Self.bootID }

    /// Why the lease counts as lapsed, or nil when it is live: on this host, the lock is the proof (`held`); on
    /// another, a heartbeat younger than ``RunLease/period``.
    public func lapse(held: Bool, now: Date) -> String? {
        if isOnThisHost {
            return held ? nil : "no live process holds its lock on this host"
        }
        let age = now.timeIntervalSince(heartbeat)
        guard age > Double(RunLease.period.components.seconds) else { return nil }
        return "its last heartbeat is \(Int(age))s old (the lease period is \(RunLease.period.components.seconds)s)"
    }

    /// The JSON the lease file holds.
    var encoded: Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Reads a lease file's JSON; nil when it is empty or half written.
    init?(decoding data: Data) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let holder = try? decoder.decode(RunLeaseHolder.self, from: data) else { return nil }
        self = holder
    }

    /// A holder as given.
    public init(host: String, pid: Int64, bootID: String, heartbeat: Date) {
        self.host = host
        self.pid = pid
        self.bootID = bootID
        self.heartbeat = heartbeat
    }
}
