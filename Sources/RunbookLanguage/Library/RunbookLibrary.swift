import Foundation

/// The folder of runbooks a command works on, and the files in it.
public struct RunbookLibrary: Sendable {
    /// The folder's path.
    public let directory: String

    /// The configuration file's name, searched for in the current folder and its parents.
    public static let configFileName = "runbook.config.yaml"

    /// Creates a library for `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The folder the user means: `--runbooks`, else `$RUNBOOK_PATH`, else `runbooks/` beside the configuration
    /// file (see `configFile`), else `./runbooks`.
    public static func locate(
        explicit: String?, config: String? = nil, environment: [String: String], currentDirectory: String
    ) -> RunbookLibrary {
        if let explicit, !explicit.isEmpty { return RunbookLibrary(directory: explicit) }
        if let path = environment["RUNBOOK_PATH"], !path.isEmpty { return RunbookLibrary(directory: path) }
        if let config = configFile(explicit: config, environment: environment, currentDirectory: currentDirectory),
           let root = configRoot(config) {
            return RunbookLibrary(directory: (root as NSString).appendingPathComponent("runbooks"))
        }
        return RunbookLibrary(directory: "runbooks")
    }

    /// The configuration file the user means: `--config`, else `$RUNBOOK_CONFIG`, else the nearest
    /// `runbook.config.yaml` in the current folder or its parents.
    public static func configFile(explicit: String?, environment: [String: String], currentDirectory: String)
        -> String?
    {
        if let explicit, !explicit.isEmpty { return explicit }
        if let path = environment["RUNBOOK_CONFIG"], !path.isEmpty { return path }
        return findConfig(from: currentDirectory)
    }

    /// The folder a configuration file stands in, which holds `runbooks/` and `.runbook/`; nil when it is not a
    /// regular file (`--config /dev/null` means "no configuration", not "the root is /dev").
    public static func configRoot(_ config: String) -> String? {
        guard FilePaths.isRegularFile(config) else { return nil }
        return FilePaths.parent(of: FilePaths.absolute(config, relativeTo: FilePaths.currentDirectory))
    }

    /// The nearest `runbook.config.yaml` in `directory` or its parents.
    public static func findConfig(from directory: String) -> String? {
        var current = FilePaths.absolute(directory, relativeTo: FilePaths.currentDirectory)
        while true {
            let candidate = (current == "/" ? "" : current) + "/" + configFileName
            if FilePaths.exists(candidate) { return candidate }
            if current == "/" { return nil }
            current = FilePaths.parent(of: current)
        }
    }

    /// The runbook files (`.yaml`, `.yml`) in the folder, sorted by name.
    /// - Throws: `LibraryError` when the folder cannot be read.
    public func files() throws(LibraryError) -> [String] {
        try Self.runbookFiles(in: directory)
    }

    /// The runbook files in `directory`, sorted by name.
    public static func runbookFiles(in directory: String) throws(LibraryError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LibraryError("the runbooks folder '\(directory)' does not exist",
                               hint: "run from your runbooks repository, or pass --runbooks DIR or set RUNBOOK_PATH")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw LibraryError("cannot read the runbooks folder '\(directory)': \(error.localizedDescription)")
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// The file of the runbook called `name`, or of the path `name` when it names a file.
    /// - Throws: `LibraryError` naming the closest runbook when there is none by that name.
    public func file(for name: String) throws(LibraryError) -> String {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
            guard FileManager.default.fileExists(atPath: name) else {
                throw LibraryError("the runbook file '\(name)' does not exist")
            }
            return name
        }
        for suffix in [".yaml", ".yml"] {
            let path = (directory as NSString).appendingPathComponent(name + suffix)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        let known = (try? files())?.map(RunbookLoader.expectedName(for:)) ?? []
        throw LibraryError("no runbook named '\(name)' in '\(directory)'" + NearestName.didYouMean(name, among: known),
                           hint: known.isEmpty ? nil : "'runbook list' shows the runbooks")
    }
}

/// A runbooks folder or file that cannot be found or read.
public struct LibraryError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// What to do about it.
    public var hint: String?

    /// Creates an error.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    /// `error: message` and an indented help line.
    public var description: String {
        "error: \(message)" + (hint.map { "\n    help: \($0)" } ?? "")
    }
}
