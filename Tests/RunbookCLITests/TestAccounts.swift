import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The OS accounts the tests' people run `runbook` as. A person's identity is the OS account of the process, so two
/// people are two accounts: `alice` (and any name not listed) is the account running the tests; the others are
/// system accounts every Debian system has (base-passwd), taken on with `setpriv`, which needs root.
enum TestAccounts {
    /// Test people by name, and the accounts they run as.
    static let accounts = ["bob": "daemon", "carol": "bin", "dana": "sys", "mallory": "games", "dave": "man"]

    /// Whether the tests can run a process as another account (as root, with setpriv installed).
    static let canSwitch = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    /// The account the tests run as.
    static let current: String = {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "uid:\(getuid())" }
        return String(cString: name)
    }()

    /// The account `person` runs as (the name the audit log records).
    static func account(_ person: String) -> String { canSwitch ? accounts[person] ?? current : current }

    /// `program ARGUMENTS` as run by `person`: through setpriv with the account's uid and gid and a umask of 0 (so
    /// the files it creates stay writable by the other people's accounts), or unchanged for the current account.
    static func command(_ program: String, _ arguments: [String], as person: String) -> (String, [String]) {
        guard canSwitch, let name = accounts[person], let entry = getpwnam(name) else { return (program, arguments) }
        let (uid, gid) = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        return ("/usr/bin/setpriv", [
            "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "/bin/sh", "-c", #"umask 000; exec "$0" "$@""#,
            program,
        ] + arguments)
    }

    /// Lets every account read and write everything under `root` (the workspace and its store), as a team's shared
    /// folder must be; without it another account could not write the store the first one created.
    static func share(_ root: URL) {
        guard canSwitch else { return }
        let files = FileManager.default
        try? files.setAttributes([.posixPermissions: 0o777], ofItemAtPath: root.path)
        guard let walker = files.enumerator(atPath: root.path) else { return }
        for case let relative as String in walker {
            let path = root.appendingPathComponent(relative).path
            guard let attributes = try? files.attributesOfItem(atPath: path),
                let type = attributes[.type] as? FileAttributeType, type != .typeSymbolicLink,
                let mode = attributes[.posixPermissions] as? Int
            else { continue }
            let shared = type == .typeDirectory ? 0o777 : 0o666 | (mode & 0o111)
            try? files.setAttributes([.posixPermissions: shared], ofItemAtPath: path)
        }
    }
}
