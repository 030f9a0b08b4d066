import Foundation

/// The environment a step's command starts with, as the `NAME=value` C strings `posix_spawn` takes: runbook's own
/// variables, made into C strings once per process, with the step's variables laid over them.
///
/// A step usually sets one to three variables over some forty inherited ones; copying and re-encoding all of them at
/// every spawn was a measurable part of a step's overhead.
struct ChildEnvironment {
    /// The step's variables, later layers winning.
    private var overrides: [String: String] = [:]

    /// runbook's own environment, without the variables `overrides` sets.
    init() {}

    /// Lays `layer` over the variables so far.
    /// - Throws: `ActionFailure` for a name that is empty or holds `=` or NUL, or a value that holds NUL.
    mutating func overlay(_ layer: [String: String]) throws(ActionFailure) {
        for (name, value) in layer {
            guard !name.isEmpty, !name.contains("="), !name.contains("\0"), !value.contains("\0") else {
                throw ActionFailure("shell: '\(name)' cannot be an environment variable")
            }
            overrides[name] = value
        }
    }

    /// Calls `body` with the NULL-terminated `NAME=value` array, valid only during the call.
    func withEntries<T>(_ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
        let inherited = Inherited.shared
        var entries: [UnsafeMutablePointer<CChar>?] = []
        entries.reserveCapacity(inherited.entries.count + overrides.count + 1)
        for (name, entry) in zip(inherited.names, inherited.entries) where overrides[name] == nil {
            entries.append(entry)
        }
        let own = overrides.map { strdup("\($0.key)=\($0.value)") }
        defer { for entry in own { free(entry) } }
        entries += own
        entries.append(nil)
        return body(entries)
    }

    /// runbook's environment as read the first time a step starts (after `runbook serve` has taken its tokens out),
    /// as C strings kept for the life of the process.
    ///
    /// `@unchecked Sendable`: immutable after `init`; the strings are never written or freed.
    private final class Inherited: @unchecked Sendable {
        static let shared = Inherited(ProcessInfo.processInfo.environment)

        let names: [String]
        let entries: [UnsafeMutablePointer<CChar>?]

        private init(_ variables: [String: String]) {
            let sorted = variables.sorted { $0.key < $1.key }
            names = sorted.map(\.key)
            entries = sorted.map { strdup("\($0.key)=\($0.value)") }
        }
    }
}
