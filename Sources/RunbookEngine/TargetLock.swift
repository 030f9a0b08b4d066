import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A target held by one step of one run: an exclusive `flock` on a file named after the target, in the `targets`
/// folder beside the store, held while the step acts and released when it ends (or by the kernel when its process
/// dies, even by `kill -9`). The file says who holds it, for those who wait.
final class TargetLock: Sendable {
    private let descriptor: Int32

    /// Who holds a target.
    struct Holder: Sendable, Equatable {
        var run: String
        var step: String
    }

    /// What trying to take a target came to.
    enum Attempt: Sendable {
        case taken(TargetLock)
        case heldBy(Holder)
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Takes `name` for `holder` at once, or says who holds it.
    /// - Throws: `TargetLockError` when the folder or file cannot be made.
    static func take(_ name: String, in directory: String, for holder: Holder) throws(TargetLockError) -> Attempt {
        let folder = (directory as NSString).appendingPathComponent("targets")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw TargetLockError("cannot create \(folder) for the lock on \(name): \(error.localizedDescription)")
        }
        // The name's bytes in hex: every name its own file, whatever characters it holds.
        let path = (folder as NSString).appendingPathComponent(
            name.utf8.map { String(format: "%02x", $0) }.joined() + ".lock")
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TargetLockError("cannot open \(path) for the lock on \(name): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.holder(in: descriptor)
            close(descriptor)
            return .heldBy(holder ?? Holder(run: "?", step: "?"))
        }
        let text = "\(holder.run)\n\(holder.step)\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return .taken(TargetLock(descriptor: descriptor))
    }

    /// The holder written in a lock file.
    private static func holder(in descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let lines = String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\n")
        guard lines.count >= 2 else { return nil }
        return Holder(run: String(lines[0]), step: String(lines[1]))
    }
}

/// A target lock that cannot be taken for a reason other than another holder.
struct TargetLockError: Error, Sendable {
    /// Why.
    var message: String

    init(_ message: String) { self.message = message }
}
