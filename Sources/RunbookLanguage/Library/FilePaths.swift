#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Path arithmetic on plain strings, for the few paths every command resolves at start-up (the configuration file,
/// the store): `URL` and `FileManager` answer the same questions at several times the cost.
public enum FilePaths {
    /// `path` made absolute against `base`, with `.` and `..` resolved (`..` at the root stays at the root).
    public static func absolute(_ path: String, relativeTo base: @autoclosure () -> String) -> String {
        let full = path.hasPrefix("/") ? path : base() + "/" + path
        // Concrete String operations only: Substring pattern matching and `joined` looked protocol conformances up
        // at run time at the first call, which `perf` showed on every start of the statically linked binary.
        var components: [String] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            let component = String(part)
            if component == "." { continue }
            if component == ".." {
                if !components.isEmpty { components.removeLast() }
                continue
            }
            components.append(component)
        }
        var result = ""
        for component in components { result += "/" + component }
        return result.isEmpty ? "/" : result
    }

    /// The folder that holds `path` (an absolute path without `.` or `..`); `/` for `/` and for a top-level entry.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The working directory, or `/` when it cannot be read (it was removed).
    public static var currentDirectory: String {
        guard let buffer = getcwd(nil, 0) else { return "/" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// Whether `path` names a regular file (after following symbolic links).
    public static func isRegularFile(_ path: String) -> Bool {
        type(of: path) == S_IFREG
    }

    /// Whether `path` names a folder (after following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        type(of: path) == S_IFDIR
    }

    /// Whether the open file `descriptor` is the one `path` names now (same device and inode), and not one since
    /// removed or replaced.
    public static func isFile(open descriptor: Int32, namedBy path: String) -> Bool {
        var open = stat()
        var named = stat()
        return fstat(descriptor, &open) == 0 && stat(path, &named) == 0 && open.st_dev == named.st_dev
            && open.st_ino == named.st_ino
    }

    /// Whether anything exists at `path` (after following symbolic links).
    public static func exists(_ path: String) -> Bool {
        type(of: path) != nil
    }

    /// The `S_IFMT` bits of what `path` names (after following symbolic links), or nil when nothing is there.
    private static func type(of path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }
}
