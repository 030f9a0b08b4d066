import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process group a `shell` step runs in (its own session), so the whole tree can be signalled at once.
struct ProcessGroup: Sendable {
    /// The group's id: the pid of the shell that leads it.
    let id: pid_t

    /// Whether any process of the group is still running.
    ///
    /// On Linux a zombie does not count: it is dead, and where PID 1 is slow to reap orphans (some containers) the
    /// group would otherwise look alive for the whole grace period.
    var hasMembers: Bool {
        guard kill(-id, 0) == 0 else { return false }
        #if os(Linux)
            return hasRunningMembers() ?? true
        #else
            return true
        #endif
    }

    /// Whether `/proc` lists a process of the group that is not a zombie; nil when `/proc` cannot be read.
    private func hasRunningMembers() -> Bool? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let nameEnd = stat.lastIndex(of: ")")
            else { continue }
            // After the command name: state, parent pid, process group id, …
            let fields = stat[stat.index(after: nameEnd)...].split(separator: " ", maxSplits: 3)
            guard fields.count >= 3, fields[2] == "\(id)" else { continue }
            if fields[0] != "Z" && fields[0] != "X" { return true }
        }
        return false
    }

    /// Sends SIGTERM to every process left in the group, waits up to `grace` for them to exit, then sends SIGKILL.
    ///
    /// Call it before the group's id can be reused: while its leader is not yet reaped, or while other members are
    /// left (a group's id is not given to a new process while the group has members).
    func terminate(grace: Duration) async {
        guard hasMembers else { return }
        kill(-id, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while hasMembers, ContinuousClock.now < deadline {
            await Self.pause(milliseconds: 50)
        }
        if hasMembers { kill(-id, SIGKILL) }
    }

    /// Waits without regard to cancellation: this runs precisely when the task has been cancelled, and the wait must
    /// still happen.
    private static func pause(milliseconds: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
                continuation.resume()
            }
        }
    }
}
