import ArgumentParser
import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook audit`: the audit log itself.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify, export, checkpoint or show the head of the hash-chained audit log.",
        subcommands: [Verify.self, Export.self, Head.self, Checkpoint.self, Keygen.self])

    /// `runbook audit verify`.
    struct Verify: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the hash chain and check every checkpoint; exit 1 naming the first record that does "
                + "not match.")
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: "A checkpoint saved earlier (its JSON): the log must still hold exactly that prefix.")
        var checkpoint: [String] = []

        @Option(name: .long, help: "SEQ:HASH the log must still hold (from `runbook audit head`).")
        var head: [String] = []

        @Option(name: .long, help: "The public key file every checkpoint must be signed by.")
        var key: String?

        @Option(name: .long, help: "Verify this exported log (`runbook audit export`) instead of the store.")
        var file: String?

        @Option(name: .long, help: "text or json (one object: ok, checked, head, first_bad, problem, checkpoints).")
        var output: OutputFormat = .text

        func run(in context: CommandContext) async throws {
            let console = context.console
            let trusted = try key.map(Self.publicKey)
            let expected = try checkpoint.map(Self.savedCheckpoint) + head.map(Self.savedHead)
            let store: any EventStore
            if let file {
                do throws(StoreError) {
                    store = InMemoryEventStore(recorded: try ExportedLog.read(path: file))
                } catch {
                    throw CommandFailure(error.message, status: .invalid)
                }
            } else {
                store = try Workspace(options: storeOptions, context: context).readStore()
            }
            let report: VerificationReport
            do throws(StoreError) {
                report = try await CheckpointAudit.verify(store, trusting: trusted, expecting: expected)
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            // With --key, the log must hold a checkpoint that key signed.
            let unsigned = trusted.flatMap { key in
                report.coveredSeq == nil ? "no checkpoint signed by \(key.fingerprint) is in the log" : nil
            }
            if output == .json {
                console.write(Self.value(report, trusted: trusted, unsigned: unsigned).jsonString(pretty: true) + "\n")
            } else if let bad = report.firstBad {
                console.error("seq \(bad): \(report.problem ?? "does not match")",
                              hint: "records from seq \(bad) on cannot be trusted; \(report.checked) checked")
            } else if let unsigned {
                console.error(
                    unsigned, hint: "`runbook audit checkpoint` signs one with the key 'audit.signing_key' names")
            } else {
                let head = report.head.map { "head seq \($0.seq) \($0.hash)" } ?? "empty log"
                console.write("ok: \(report.checked) events verified, \(head)\n")
                if let covered = report.coveredSeq {
                    let count = report.checkpoints.count
                    var line = "checkpoints: \(count) hold\(count == 1 ? "s" : ""), the newest covers seq \(covered)"
                    if let trusted { line += ", all signed by \(trusted.fingerprint)" }
                    console.write(line + "\n")
                }
            }
            if !report.isIntact || unsigned != nil { throw ExitCode(ExitStatus.stepFailed.rawValue) }
        }

        /// The report as `--output json` shows it: `ok` is false when the chain is broken or, with `--key`, no
        /// checkpoint is signed by that key (`unsigned` says so).
        private static func value(_ report: VerificationReport, trusted: CheckpointPublicKey?, unsigned: String?)
            -> Value
        {
            let problem = report.firstBad.map { _ in report.problem ?? "does not match" } ?? unsigned
            return [
                "ok": .bool(problem == nil), "checked": .number(Double(report.checked)),
                "head": report.head.map { Head.value($0) } ?? .null,
                "first_bad": report.firstBad.map { .number(Double($0)) } ?? .null,
                "problem": problem.map(Value.string) ?? .null,
                "checkpoints": .number(Double(report.checkpoints.count)),
                "covered_seq": report.coveredSeq.map { .number(Double($0)) } ?? .null,
                "key": trusted.map { .string($0.fingerprint) } ?? .null,
            ]
        }

        /// The public key in the file at `path`.
        private static func publicKey(_ path: String) throws -> CheckpointPublicKey {
            do throws(CheckpointKeyError) {
                return try CheckpointPublicKey(file: path)
            } catch {
                throw CommandFailure("--key \(path): \(error.message)", status: .invalid)
            }
        }

        /// The checkpoint saved in the file at `path`.
        private static func savedCheckpoint(_ path: String) throws -> CheckpointAudit.Expectation {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure("--checkpoint \(path): the file cannot be read", status: .invalid)
            }
            do throws(CheckpointKeyError) {
                return .checkpoint(try AuditCheckpoint(json: String(decoding: data, as: UTF8.self)))
            } catch {
                throw CommandFailure(
                    "--checkpoint \(path): \(error.message)",
                    hint: "save one with `runbook audit checkpoint --output json > FILE`", status: .invalid)
            }
        }

        /// `SEQ:HASH` (or `SEQ HASH`, as `runbook audit head` prints it) as a head.
        private static func savedHead(_ text: String) throws -> CheckpointAudit.Expectation {
            let parts = text.split(whereSeparator: { $0 == ":" || $0 == " " })
            guard parts.count == 2, let seq = Int64(parts[0]), seq > 0, parts[1].count == 64,
                parts[1].allSatisfy(\.isHexDigit)
            else {
                throw CommandFailure(
                    "--head '\(text)' is not SEQ:HASH (a sequence number and 64 hex digits)",
                    hint: "`runbook audit head` prints them", status: .invalid)
            }
            return .head(AuditHead(seq: seq, hash: parts[1].lowercased()))
        }
    }

    /// `runbook audit export`.
    struct Export: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write every event (checkpoints included) as NDJSON, exactly as stored.")
        @OptionGroup var storeOptions: StoreOptions

        func run(in context: CommandContext) async throws {
            let console = context.console
            let store = try Workspace(options: storeOptions, context: context).readStore()
            var after: Int64 = 0
            do throws(StoreError) {
                while true {
                    let batch = try await store.events(after: after, limit: 5_000)
                    guard let last = batch.last else { break }
                    console.write(batch.map(\.line).joined(separator: "\n") + "\n")
                    after = last.seq
                }
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
        }
    }

    /// `runbook audit head`.
    struct Head: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "head", abstract: "Print the latest seq and hash.")
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: "text or json ({\"seq\", \"hash\"}; seq 0 and hash null for an empty log).")
        var output: OutputFormat = .text

        func run(in context: CommandContext) async throws {
            let console = context.console
            let store = try Workspace(options: storeOptions, context: context).readStore()
            let head: AuditHead?
            do throws(StoreError) {
                head = try await store.head()
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            switch (output, head) {
            case (.json, _): console.write(Self.value(head).jsonString(pretty: true) + "\n")
            case (.text, let head?): console.write("\(head.seq) \(head.hash)\n")
            case (.text, nil): console.write("0 (empty log)\n")
            }
        }

        /// A head as `--output json` shows it; nil is the head of an empty log.
        static func value(_ head: AuditHead?) -> Value {
            ["seq": .number(Double(head?.seq ?? 0)), "hash": head.map { .string($0.hash) } ?? .null]
        }
    }

    /// `runbook audit checkpoint`.
    struct Checkpoint: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Sign the log's head with the key 'audit.signing_key' names, record it, post it to the "
                + "'audit.notify' channels and print it.")
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: "text or json (json is what `audit verify --checkpoint FILE` reads).")
        var output: OutputFormat = .text

        func run(in context: CommandContext) async throws {
            let console = context.console
            let workspace = try Workspace(options: storeOptions, context: context)
            guard let witness = try workspace.checkpointWitness(console: console) else {
                throw CommandFailure(
                    "no signing key: 'audit.signing_key' is not set in \(workspace.config.file ?? "the configuration")",
                    hint: "`runbook audit keygen --out FILE`, then set audit: { signing_key: FILE }", status: .invalid)
            }
            let store = try workspace.readStore()
            let made: CheckpointWitness.Outcome?
            do throws(StoreError) {
                made = try await witness.checkpoint(store)
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            guard let signed = made else {
                throw CommandFailure("the log is empty: there is no head to sign yet", status: .invalid)
            }
            for failure in signed.failures { console.warning("the checkpoint could not be posted to \(failure)") }
            if output == .json {
                console.write(signed.checkpoint.data.jsonString(pretty: false) + "\n")
            } else {
                console.write(CheckpointWitness.describe(signed.checkpoint, recordedAt: signed.event.seq) + "\n")
            }
        }
    }

    /// `runbook audit keygen`.
    struct Keygen: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Write a new Ed25519 checkpoint signing key (mode 0600) and its public key (FILE.pub).")

        @Option(name: .long, help: "The private key file to create (never replaced); the public key goes to FILE.pub.")
        var out: String

        func run(in context: CommandContext) async throws {
            let key = CheckpointSigningKey()
            let publicFile = out + ".pub"
            do throws(CheckpointKeyError) {
                try key.write(to: out)
            } catch {
                throw CommandFailure(error.message, status: .invalid)
            }
            do {
                try Data((key.publicKey.text + "\n").utf8).write(to: URL(fileURLWithPath: publicFile))
            } catch {
                throw CommandFailure("cannot write the public key \(publicFile): \(error.localizedDescription)",
                                     status: .internalError)
            }
            context.console.write(key.publicKey.text + "\n")
            context.console.writeError(
                "wrote the private key \(out) (mode 0600) and the public key \(publicFile) "
                    + "(fingerprint \(key.publicKey.fingerprint)); set audit: { signing_key: \(out) }\n")
        }
    }
}
