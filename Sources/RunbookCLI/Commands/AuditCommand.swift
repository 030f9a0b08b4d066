import ArgumentParser
import RunbookStore

/// `runbook audit`: the audit log itself.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify, export or show the head of the hash-chained audit log.",
        subcommands: [Verify.self, Export.self, Head.self])

    /// `runbook audit verify`.
    struct Verify: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the hash chain; exit 1 naming the first record that does not match.")
        @OptionGroup var storeOptions: StoreOptions

        func run(in context: CommandContext) async throws {
            let console = context.console
            let workspace = try Workspace(options: storeOptions, context: context)
            let report: VerificationReport
            let store = try workspace.readStore()
            do throws(StoreError) {
                report = try await store.verify()
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
            if let bad = report.firstBad {
                console.error("seq \(bad): \(report.problem ?? "does not match")",
                              hint: "records from seq \(bad) on cannot be trusted; \(report.checked) checked")
                throw ExitCode(ExitStatus.stepFailed.rawValue)
            }
            let head = report.head.map { "head seq \($0.seq) \($0.hash)" } ?? "empty log"
            console.write("ok: \(report.checked) events verified, \(head)\n")
        }
    }

    /// `runbook audit export`.
    struct Export: ContextualCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write every event as NDJSON, exactly as stored.")
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

        func run(in context: CommandContext) async throws {
            let console = context.console
            let store = try Workspace(options: storeOptions, context: context).readStore()
            do throws(StoreError) {
                if let head = try await store.head() {
                    console.write("\(head.seq) \(head.hash)\n")
                } else {
                    console.write("0 (empty log)\n")
                }
            } catch {
                throw CommandFailure(error.message, status: .internalError)
            }
        }
    }
}
