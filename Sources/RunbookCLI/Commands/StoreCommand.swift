import ArgumentParser
import RunbookLanguage
import RunbookStore

/// `runbook store`: creating a store and moving one.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Create the event store's schema, bring it forward to this runbook's, or copy a store into an "
            + "empty one.",
        subcommands: [Init.self, Migrate.self, Copy.self])

    /// `runbook store init`.
    struct Init: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the store's schema (tables, indexes, the append-only trigger, the schema version).",
            discussion: """
                For PostgreSQL, run it as the role that will own the schema; --writer ROLE also grants that role
                what runbook needs to connect as it (SELECT and INSERT, nothing else). A SQLite file is created
                with its schema on first use anyway. Nothing is changed when the schema is already there.
                """)
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: "A PostgreSQL role to grant USAGE on the schema and SELECT, INSERT on its tables.")
        var writer: String?

        func run(in context: CommandContext) async throws {
            let console = context.console
            let workspace = try Workspace(options: storeOptions, context: context)
            let location = workspace.storeLocation
            do throws(StoreError) {
                switch location {
                case .postgres(let conninfo):
                    let created = try PostgresEventStore.initialize(
                        conninfo: conninfo, name: location.description, writer: writer)
                    let granted = writer.map { "; granted \($0) SELECT and INSERT" } ?? ""
                    console.write(
                        (created ? "created the store \(location)" : "the store \(location) already exists")
                            + " (schema version \(PostgresEventStore.schemaVersion))\(granted)\n")
                case .sqlite(let path):
                    guard writer == nil else {
                        throw StoreError("--writer is for a PostgreSQL store; \(location) is a SQLite file")
                    }
                    let existed = FilePaths.exists(path)
                    let store = try SQLiteEventStore(path: path)
                    await store.close()
                    console.write((existed ? "the store \(location) already exists" : "created the store \(location)") + "\n")
                }
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
        }
    }

    /// `runbook store migrate`.
    struct Migrate: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Bring a PostgreSQL store's schema forward to this runbook's version.",
            discussion: """
                Run it as the role that owns the schema, once, after upgrading runbook: until then every other
                command refuses a store whose schema is older than its own, rather than change it silently. Each
                version's migration runs in one transaction holding the append lock, so writers wait and a failed
                migration changes nothing. A SQLite file needs none (it has one schema version).

                Examples:
                  runbook store migrate --store 'postgres://runbook_owner@db.internal/runbook'
                """)
        @OptionGroup var storeOptions: StoreOptions

        func run(in context: CommandContext) async throws {
            let workspace = try Workspace(options: storeOptions, context: context)
            let location = workspace.storeLocation
            guard case .postgres(let conninfo) = location else {
                context.console.write("the store \(location) is a SQLite file, whose schema needs no migration\n")
                return
            }
            do throws(StoreError) {
                let (from, applied) = try PostgresEventStore.migrate(conninfo: conninfo, name: location.description)
                let version = PostgresEventStore.schemaVersion
                guard !applied.isEmpty else {
                    context.console.write("the store \(location) is already at schema version \(version)\n")
                    return
                }
                context.console.write(
                    "migrated the store \(location) from schema version \(from) to \(version):\n"
                        + applied.map { "  \($0)\n" }.joined())
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
        }
    }

    /// `runbook store copy FROM TO`.
    struct Copy: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy every event of one store into an empty one, keeping seq, timestamps, lines and hashes.",
            discussion: """
                FROM and TO are store locations (sqlite:PATH, PATH.db, postgres://…, or a libpq connection
                string); a relative path is relative to the current folder. A PostgreSQL target needs its schema
                (runbook store init). Both stores are verified afterwards and must end at the same head.
                """)

        @Argument(help: "The store to copy from.")
        var from: String

        @Argument(help: "The store to copy into; it must hold no event.")
        var to: String

        /// Events read and written per transaction.
        static let batchSize = 5_000

        func run(in context: CommandContext) async throws {
            let console = context.console
            do {
                let base = FilePaths.currentDirectory
                let sourceLocation = try StoreLocation(parsing: from, relativeTo: base)
                let targetLocation = try StoreLocation(parsing: to, relativeTo: base)
                guard sourceLocation != targetLocation else {
                    throw CommandFailure("cannot copy the store \(sourceLocation) into itself", status: .invalid)
                }
                let source = try context.openStore(sourceLocation)
                guard let target = try context.openStore(targetLocation) as? any EventImporting else {
                    throw StoreError("the store \(targetLocation) cannot take copied events")
                }
                if let head = try await target.head() {
                    throw CommandFailure(
                        "the store \(targetLocation) is not empty (head seq \(head.seq)); nothing was copied",
                        hint: "copy into a new SQLite file, or a PostgreSQL schema fresh from 'runbook store init'",
                        status: .invalid)
                }
                var copied: Int64 = 0
                while true {
                    let batch = try await source.events(after: copied, limit: Self.batchSize)
                    guard let last = batch.last else { break }
                    try await target.importEvents(batch)
                    copied = last.seq
                }
                try await report(copied: copied, source: (source, sourceLocation), target: (target, targetLocation),
                                 console: console)
            } catch let error as StoreError {
                throw CommandFailure(error.message, status: .internalError)
            }
        }

        /// Verifies both stores and prints their common head, or fails naming the one that does not verify.
        private func report(
            copied: Int64, source: (any EventStore, StoreLocation), target: (any EventStore, StoreLocation),
            console: Console
        ) async throws {
            var heads: [AuditHead?] = []
            for (store, location) in [source, target] {
                let report = try await store.verify()
                if let bad = report.firstBad {
                    throw CommandFailure(
                        "the store \(location) does not verify: seq \(bad): \(report.problem ?? "does not match")",
                        hint: "'runbook audit verify --store …' names the damage", status: .stepFailed)
                }
                heads.append(report.head)
            }
            guard heads[0] == heads[1] else {
                throw CommandFailure(
                    "the copy ends at a different head than its source (\(heads[1]?.seq ?? 0) against "
                        + "\(heads[0]?.seq ?? 0)): another writer appended to one of them meanwhile",
                    status: .internalError)
            }
            let head = heads[0].map { "head seq \($0.seq) \($0.hash)" } ?? "empty log"
            console.write("copied \(copied) events from \(source.1) to \(target.1); both verify, \(head)\n")
        }
    }
}
