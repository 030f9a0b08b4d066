import ArgumentParser
import Foundation
import Logging
import RunbookEngine
import RunbookLanguage
import RunbookServer

/// `runbook serve`: receives alert webhooks and runs the matching runbooks, gates parked for people.
struct ServeCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive Alertmanager, Grafana, CloudWatch (SNS) and PagerDuty webhooks and start the matching "
            + "runbooks; every gate waits for a person (API or 'runbook approve').")

    @OptionGroup var library: LibraryOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "HOST:PORT to listen on (default: serve.listen, else 127.0.0.1:8088).")
    var listen: String?

    func run(in context: CommandContext) async throws {
        let console = context.console
        // The variables the tokens and the PagerDuty secret come from are read from this copy, now and on SIGHUP,
        // and taken out of the environment, so that no step (nor anything it runs) inherits a token.
        let environment = context.environment.all
        let workspace = try Workspace(options: storeOptions, context: context, environment: environment)
        let text = listen ?? workspace.config.serve.listen
        guard let address = ListenAddress(text) else {
            throw CommandFailure("'\(text)' is not HOST:PORT", hint: "for example --listen 127.0.0.1:8088",
                                 status: .invalid)
        }
        let serving = try Self.serveContext(
            library: library, storeOptions: storeOptions, context: context, environment: environment)
        for name in serving.config.serve.secretVariables { unsetenv(name) }
        if serving.config.serve.tokens.allSatisfy(\.token.isEmpty) {
            console.warning("serve.tokens has no usable token: every request but /healthz, /metrics and signed "
                            + "PagerDuty deliveries gets 401",
                            hint: "add tokens under 'serve:' in runbook.config.yaml (see docs/serve.md)")
        }
        LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        let store = try workspace.openStore()
        let server = AlertServer(
            store: store, stateDirectory: workspace.stateDirectory, listen: address,
            logger: Logger(label: "runbook.serve")
        ) { [library, storeOptions] in
            let serving = try Self.serveContext(
                library: library, storeOptions: storeOptions, context: context, environment: environment)
            for name in serving.config.serve.secretVariables { unsetenv(name) }
            return serving
        }
        do {
            try await server.run()
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("runbook serve stopped: \(error)", status: .internalError)
        }
    }

    /// Reads the configuration and every runbook; a problem in either is an error (the server keeps its previous
    /// context when this fails on SIGHUP).
    static func serveContext(
        library: LibraryOptions, storeOptions: StoreOptions, context: CommandContext, environment: [String: String]
    ) throws -> ServeContext {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context, environment: environment)
        let runbooks = try library.loadAll(console: console, config: storeOptions.config, environment: environment)
        let environment = try RunSetup.environment(
            named: workspace.config.serve.environment, config: workspace.config, console: console)
        return ServeContext(
            config: workspace.config, runbooks: runbooks, environment: environment,
            workingDirectory: FileManager.default.currentDirectoryPath)
    }
}
