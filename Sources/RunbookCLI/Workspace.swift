import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// What a command works with: the configuration, the store and its folder, and who is at the keyboard.
struct Workspace {
    /// The configuration (empty when there is no file).
    let config: RunbookConfig
    /// The folder beside the store that holds run leases.
    let stateDirectory: String
    /// The store's location as given.
    let storeDescription: String
    /// The person running the command: on a store that authenticates (PostgreSQL), the role it authenticated once
    /// the store is open (``openStore()``); otherwise the OS account of this process. `$RUNBOOK_USER` is only a
    /// display name beside it, never counted by any rule.
    var identity: Identity { signedIn.identity ?? account }
    /// The OS account of this process, with the display name.
    private let account: Identity
    /// The identity the store authenticated, once it is open; shared by copies of this workspace.
    private let signedIn = SignedIn()
    /// The established name of the person running the command (``identity``'s).
    var user: String { identity.name }
    /// The folder whose `NAME.mustache` files replace the built-in templates: `templates/` beside the configuration
    /// file, else beside the runbooks folder.
    let templatesDirectory: String
    private let location: StoreLocation
    private let opener: @Sendable (StoreLocation) throws(StoreError) -> any EventStore

    /// Finds the configuration and the store from the options, `context`'s variables and the current folder; an
    /// invalid configuration is reported to `context`'s console.
    init(options: StoreOptions, context: CommandContext) throws {
        try self.init(options: options, context: context, environment: context.environment.all)
    }

    /// Where the store is.
    var storeLocation: StoreLocation { location }

    /// Finds the configuration and the store from the options, `environment` and the current folder; an invalid
    /// configuration is reported to `context`'s console.
    init(options: StoreOptions, context: CommandContext, environment: [String: String]) throws {
        do {
            try self.init(store: options.store, config: options.config, context: context, environment: environment)
        } catch let invalid as InvalidConfiguration {
            throw invalid.reported(to: context.console)
        }
    }

    /// Finds the configuration and the store from `--store` and `--config` (nil when not given), `environment` and
    /// the current folder, leaving an invalid configuration for the caller to report; who is at the keyboard and how
    /// the store opens come from `context`.
    /// - Throws: ``InvalidConfiguration``, or `CommandFailure` for a store location that cannot be read.
    init(
        store storeOption: String?, config configOption: String?, context: CommandContext,
        environment: [String: String]
    ) throws {
        let current = FilePaths.currentDirectory
        let configPath = RunbookLibrary.configFile(
            explicit: configOption, environment: environment, currentDirectory: current)
        if let configPath {
            switch ConfigLoader(environment: environment).load(path: configPath) {
            case .success(let config): self.config = config
            case .failure(let failure): throw InvalidConfiguration(path: configPath, failure: failure)
            }
        } else {
            config = RunbookConfig()
        }
        let root = configPath.flatMap(RunbookLibrary.configRoot)
        let base = root ?? current
        let description: String
        if let store = storeOption ?? environment["RUNBOOK_STORE"].flatMap({ $0.isEmpty ? nil : $0 })
            ?? self.config.store {
            description = store
        } else if root != nil {
            description = "sqlite:" + (base as NSString).appendingPathComponent(".runbook/state.db")
        } else {
            let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
            description = "sqlite:" + (stateHome as NSString).appendingPathComponent("runbook/state.db")
        }
        do throws(StoreError) {
            location = try StoreLocation(parsing: description, relativeTo: base)
        } catch {
            // A store that cannot even be named is a usage mistake, not a store failure.
            throw CommandFailure(error.message, hint: "--store, $RUNBOOK_STORE or 'store:' in the configuration names it",
                                 status: .invalid)
        }
        storeDescription = description
        switch location {
        case .sqlite(let path): stateDirectory = FilePaths.parent(of: path)
        case .postgres: stateDirectory = (base as NSString).appendingPathComponent(".runbook")
        }
        account = context.identify(environment["RUNBOOK_USER"])
        opener = context.openStore
        if let root {
            templatesDirectory = FilePaths.absolute("templates", relativeTo: root)
        } else {
            let templatesBase = (RunbookLibrary.locate(
                explicit: nil, environment: environment, currentDirectory: current).directory as NSString)
                .deletingLastPathComponent
            templatesDirectory = ((templatesBase.isEmpty ? "." : templatesBase) as NSString)
                .appendingPathComponent("templates")
        }
    }

    /// Opens the store on another thread when it already exists, so the caller can go on meanwhile (reading the
    /// runbook): nil for a store that opening would create, which waits until the run is sure to start.
    func openingExistingStore() -> Task<any EventStore, any Error>? {
        guard case .sqlite(let path) = location, FilePaths.exists(path) else { return nil }
        return Task.detached { [self] in try openStore() }
    }

    /// Opens the store, or ends the command with exit 5 and the reason. From then on, on a store that authenticates,
    /// ``identity`` is the role it authenticated.
    func openStore() throws -> any EventStore {
        let store: any EventStore
        do throws(StoreError) {
            store = try opener(location)
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        if let role = store.authenticatedRole {
            signedIn.record(Identity(name: role, displayName: account.displayName ?? account.name))
        }
        return store
    }

    /// Whether the store authenticates people itself, so that ``identity`` is only known once it is open.
    var storeAuthenticates: Bool {
        if case .postgres = location { return true }
        return false
    }

    /// Opens the store for reading, or nil when it is a SQLite file that does not exist yet: commands that only read
    /// never create a store (or its folder).
    func openExistingStore() throws -> (any EventStore)? {
        if case .sqlite(let path) = location, !FilePaths.exists(path) { return nil }
        return try openStore()
    }

    /// Opens the store for reading; ends the command (exit 2) when there is none yet.
    func readStore() throws -> any EventStore {
        guard let store = try openExistingStore() else {
            throw CommandFailure(noStoreYet, hint: "--store, $RUNBOOK_STORE or 'store:' in the configuration names "
                                    + "another", status: .invalid)
        }
        return store
    }

    /// What read commands say when the store does not exist yet.
    var noStoreYet: String { "no store at \(storeDescription) yet; the first 'runbook exec' creates it" }

    /// Opens the store and folds `run`; ends the command (exit 5 or 2) when either cannot be done.
    func open(run: String) async throws -> (store: any EventStore, state: RunState) {
        let store = try readStore()
        return (store, try await runState(run, store: store))
    }

    /// Every event of `run`, folded; ends the command (exit 2) when there is no such run. `run` is a run's id, a
    /// prefix of one that no other recent run shares, or `@last`: the newest run this person started.
    func runState(_ run: String, store: any EventStore) async throws -> RunState {
        if run != Self.lastRun, let state = RunState(events: try await events(of: run, in: store)) { return state }
        let id = try await resolve(run, store: store)
        guard let state = RunState(events: try await events(of: id, in: store)) else {
            throw CommandFailure("no run '\(run)' in \(storeDescription)", status: .invalid)
        }
        return state
    }

    /// Every event of `run`; a store that cannot be read ends the command (exit 5).
    private func events(of run: String, in store: any EventStore) async throws -> [AuditEvent] {
        do throws(StoreError) {
            return try await store.events(run: run)
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
    }

    /// What `runState` takes for the newest run of the person running the command.
    static let lastRun = "@last"
    /// How many of the newest runs a prefix or `@last` is looked for among.
    static let resolvableRuns = 10_000

    /// The id `run` names: the newest run of this person for `@last`, else the one recent run whose id starts with it.
    /// - Throws: `CommandFailure` (exit 2) when it names none, or several.
    private func resolve(_ run: String, store: any EventStore) async throws -> String {
        let recent: [String]
        do throws(StoreError) {
            recent = try await store.recentRuns(limit: Self.resolvableRuns)
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        if run == Self.lastRun {
            for id in recent {
                let started = try? await store.events(run: id, after: 0, types: [EventType.runStarted]).first
                if let actor = started?.actor, Identity.same(actor.id, user) { return id }
            }
            throw CommandFailure("\(user) has started no run in \(storeDescription)",
                                 hint: "'runbook runs' lists recent runs", status: .invalid)
        }
        let matches = run.isEmpty ? [] : recent.filter { $0.hasPrefix(run) }
        switch matches.count {
        case 1:
            return matches[0]
        case 0:
            throw CommandFailure("no run '\(run)' in \(storeDescription)"
                                    + NearestName.didYouMean(run, among: Array(recent.prefix(50))),
                                 hint: "'runbook runs' lists recent runs", status: .invalid)
        default:
            throw CommandFailure(
                "'\(run)' names \(matches.count) runs: " + matches.prefix(5).joined(separator: ", ")
                    + (matches.count > 5 ? ", …" : ""),
                hint: "give more of the id", status: .invalid)
        }
    }

    /// Whether a live process still runs `run`.
    func isAlive(_ run: String) -> Bool { RunLease.isHeld(directory: stateDirectory, run: run) }

    /// Who runs (or last ran) `run`, as its lease file says; nil when it has none (ended, or never leased).
    func leaseHolder(_ run: String) -> RunLeaseHolder? { RunLease.holder(directory: stateDirectory, run: run) }
}
