import Foundation
import RunbookLanguage
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// Marks a run as owned by a live process: an exclusive `flock` on a file beside the store, held for as long as the
/// process runs it. The kernel releases it when the process dies, even by `kill -9`, so a run whose lease is free
/// and whose log has no `run.finished` was interrupted. Releasing the lease removes its file, so the folder holds
/// only the files of runs being run or interrupted.
///
/// The file also says who holds the lease (``RunLeaseHolder``: host, pid, boot id) and when it last beat: the holder
/// rewrites it every ``heartbeatInterval`` (``keepAlive()``), so a process on another host, where the lock proves
/// nothing, can tell a live runner from one gone for longer than ``period``.
public final class RunLease: Sendable {
    /// How often a holder rewrites its heartbeat.
    public static let heartbeatInterval: Duration = .seconds(2)
    /// How old a heartbeat may be before a runner on another host counts as gone.
    public static let period: Duration = .seconds(10)

    private let descriptor: Int32
    private let path: String
    /// Whether letting go keeps the file, so the next worker sees the lease lapsed and takes the run over.
    private let keepsFile = Atomic<Bool>(false)
    /// Who held the lease before this process took it, as the file left behind said; nil for a new lease.
    public let previous: RunLeaseHolder?
    /// Whether the lease was released: its descriptor is closed then, and a late heartbeat writes nothing.
    private let released = Mutex(false)

    /// Takes the lease of `run` in `directory`.
    /// - Throws: `LeaseError` when another live process holds it or the file cannot be made.
    public init(directory: String, run: String) throws(LeaseError) {
        let path = Self.path(directory: directory, run: run)
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw LeaseError("cannot create the lock folder for run \(run): \(error.localizedDescription)")
        }
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw LeaseError("cannot open \(path): \(String(cString: strerror(errno)))") }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                throw LeaseError("run \(run) is being run by another live process")
            }
            // The holder before may have removed the file between our open and our lock: only a lock on the file the
            // path names now counts.
            if FilePaths.isFile(open: descriptor, namedBy: path) {
                self.descriptor = descriptor
                self.path = path
                previous = Self.read(descriptor)
                beat()
                return
            }
            close(descriptor)
        }
    }

    deinit { release() }

    /// Lets go of the lease now, removing its file (unless ``leaveForTakeover()`` was called): what a process does
    /// before it exits, which must not depend on when the last reference (a heartbeat task's, say) goes away. Later
    /// calls do nothing.
    public func release() {
        released.withLock { released in
            guard !released else { return }
            released = true
            if !keepsFile.load(ordering: .relaxed) { unlink(path) }
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// Rewrites the file with this process as the holder, now; nothing once the lease is released.
    public func beat(at now: Date = Date()) {
        let bytes = [UInt8](RunLeaseHolder.current(at: now).encoded)
        released.withLock { released in
            guard !released else { return }
            // Written over in place, then cut to length: a reader never finds the file empty.
            _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            ftruncate(descriptor, off_t(bytes.count))
        }
    }

    /// Beats every ``heartbeatInterval`` until the calling task is cancelled.
    public func keepAlive() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.heartbeatInterval)
            beat()
        }
    }

    /// Lets go of the run without ending it: the file stays when the lock is released, so the next worker finds the
    /// lease lapsed and takes the run over.
    public func leaveForTakeover() { keepsFile.store(true, ordering: .relaxed) }

    /// Who holds (or last held) the lease of `run`, as its file says; nil when there is no file or it cannot be read.
    public static func holder(directory: String, run: String) -> RunLeaseHolder? {
        let descriptor = open(path(directory: directory, run: run), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return read(descriptor)
    }

    /// The runs with a lease file in `directory`: being run, or left behind by a runner that died or let go.
    public static func runs(directory: String) -> [String] {
        let folder = (directory as NSString).appendingPathComponent("locks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".lock") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Why the lease of `run` counts as lapsed — its runner gone — or nil while it is live (or has no file).
    ///
    /// A file that names no holder yet is live for a ``period`` after it was made: its runner may be between creating
    /// it and locking it. Older than that (a release before heartbeats), the lock alone decides.
    public static func lapse(directory: String, run: String, now: Date = Date()) -> String? {
        let file = path(directory: directory, run: run)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else { return nil }
        let held = isHeld(directory: directory, run: run)
        if let holder = holder(directory: directory, run: run) { return holder.lapse(held: held, now: now) }
        let made = attributes[.modificationDate] as? Date ?? .distantPast
        guard !held, now.timeIntervalSince(made) > Double(period.components.seconds) else { return nil }
        return "no live process holds its lock on this host"
    }

    private static func read(_ descriptor: Int32) -> RunLeaseHolder? {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return RunLeaseHolder(decoding: Data(bytes[..<count]))
    }

    /// Whether a live process holds the lease of `run`.
    public static func isHeld(directory: String, run: String) -> Bool {
        let descriptor = open(path(directory: directory, run: run), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    private static func path(directory: String, run: String) -> String {
        (directory as NSString).appendingPathComponent("locks/\(run).lock")
    }
}

/// A run lease that cannot be taken.
public struct LeaseError: Error, Sendable, CustomStringConvertible {
    /// Why.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
