import Foundation
import RunbookLanguage
#if canImport(Glibc)
    import Glibc
#endif

/// Marks a run as owned by a live process: an exclusive `flock` on a file beside the store, held for as long as the
/// process runs it. The kernel releases it when the process dies, even by `kill -9`, so a run whose lease is free
/// and whose log has no `run.finished` was interrupted. Releasing the lease removes its file, so the folder holds
/// only the files of runs being run or interrupted.
public final class RunLease: Sendable {
    private let descriptor: Int32
    private let path: String

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
                return
            }
            close(descriptor)
        }
    }

    deinit {
        unlink(path)
        flock(descriptor, LOCK_UN)
        close(descriptor)
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
