import Foundation
import RunbookLanguage

/// Where the event log lives, as given by `--store`, `$RUNBOOK_STORE` or the config's `store:`.
///
/// - `sqlite:PATH` or a bare path ending in `.db`, `.sqlite` or `.sqlite3`: the embedded SQLite store. A relative
///   path is relative to the base directory the caller gives (the config file's directory); `~/` is the home
///   directory.
/// - `postgres://…`, `postgresql://…` or a libpq connection string (`host=db dbname=runbook`): PostgreSQL.
///
/// Choosing the default when nothing is given is the caller's job.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file, by absolute path.
    case sqlite(path: String)
    /// A PostgreSQL connection string (URI or `key=value` conninfo), as given.
    case postgres(String)

    /// Parses a store location.
    /// - Parameters:
    ///   - text: `sqlite:PATH`, `PATH.db`, `postgres://…` or `host=… dbname=…`.
    ///   - base: The directory a relative SQLite path is relative to.
    /// - Throws: ``StoreError`` saying which forms are accepted when `text` is none of them.
    public init(parsing text: String, relativeTo base: String) throws(StoreError) {
        let trimmed = Self.trimmingWhitespace(text)
        let lowercased = trimmed.lowercased()
        if lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://") || Self.isConninfo(trimmed) {
            self = .postgres(trimmed)
            return
        }
        var path: Substring
        if lowercased.hasPrefix("sqlite:") {
            path = trimmed.dropFirst("sqlite:".count)
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else {
                throw StoreError(
                    "the store '\(text)' names no file; write it as sqlite:PATH, e.g. sqlite:.runbook/state.db")
            }
        } else if [".db", ".sqlite", ".sqlite3"].contains(where: { lowercased.hasSuffix($0) }) {
            path = Substring(trimmed)
        } else {
            throw StoreError(
                "unknown store '\(text)': use sqlite:PATH, a path ending in .db, a postgres:// URL, "
                    + "or a libpq connection string such as 'host=db dbname=runbook'")
        }
        self = .sqlite(path: Self.absolutePath(String(path), relativeTo: base))
    }

    /// `sqlite:/absolute/path`, or the PostgreSQL connection string with its password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let connection): Self.redactingPassword(connection)
        }
    }

    /// Opens the store at `location`: a SQLite file is created with its schema when missing; a PostgreSQL database
    /// must already hold the schema (`runbook store init`).
    /// - Throws: ``StoreError`` when it cannot be opened.
    public static func open(_ location: StoreLocation) throws(StoreError) -> any EventStore {
        switch location {
        case .sqlite(let path):
            return try SQLiteEventStore(path: path)
        case .postgres(let conninfo):
            return try PostgresEventStore(conninfo: conninfo, name: location.description)
        }
    }

    /// Parses `text` and opens that store.
    /// - Throws: ``StoreError`` when `text` is not a store location or the store cannot be opened.
    public static func open(_ text: String, relativeTo base: String) throws(StoreError) -> any EventStore {
        try open(StoreLocation(parsing: text, relativeTo: base))
    }

    /// The libpq connection keywords a conninfo string may start with.
    private static let conninfoKeywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "sslmode", "sslrootcert",
        "sslcert", "sslkey", "connect_timeout", "application_name", "options", "target_session_attrs",
        "channel_binding", "gssencmode", "krbsrvname", "require_auth", "sslpassword", "client_encoding",
    ]

    /// Whether `text` looks like `keyword=value …` with a libpq keyword first.
    private static func isConninfo(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "=") else { return false }
        return conninfoKeywords.contains(trimmingWhitespace(text[..<equals]).lowercased())
    }

    /// `text` without leading and trailing whitespace and newlines.
    private static func trimmingWhitespace(_ text: some StringProtocol) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// `path` made absolute against `base` (after expanding `~/`), with `.` and `..` resolved.
    private static func absolutePath(_ path: String, relativeTo base: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return FilePaths.absolute(path, relativeTo: base) }
        return FilePaths.absolute(EnvironmentVariables.process.home + path.dropFirst(), relativeTo: base)
    }

    /// `connection` with any password (`postgres://user:secret@…`, `password=secret`) replaced by `***`.
    private static func redactingPassword(_ connection: String) -> String {
        if let scheme = connection.range(of: "://") {
            let rest = connection[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
                return redactingPasswordParameter(connection)
            }
            let redacted = connection[..<authority.index(after: colon)] + "***" + connection[at...]
            return redactingPasswordParameter(String(redacted))
        }
        return redactingPasswordParameter(connection)
    }

    /// `connection` with the value of a `password=` parameter (conninfo or URI query) replaced by `***`.
    private static func redactingPasswordParameter(_ connection: String) -> String {
        guard let key = connection.range(of: "password=", options: .caseInsensitive) else { return connection }
        let value = connection[key.upperBound...]
        let end: String.Index
        if value.first == "'" {
            var index = value.index(after: value.startIndex)
            while index < value.endIndex, value[index] != "'" {
                if value[index] == "\\" { index = value.index(after: index) }
                if index < value.endIndex { index = value.index(after: index) }
            }
            end = index < value.endIndex ? value.index(after: index) : index
        } else {
            end = value.firstIndex(where: { $0 == " " || $0 == "&" }) ?? value.endIndex
        }
        return String(connection[..<key.upperBound]) + "***" + String(connection[end...])
    }
}
