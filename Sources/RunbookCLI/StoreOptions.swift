import ArgumentParser

/// The options of every command that reads or writes runs: where the configuration and the store are.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The event store: sqlite:PATH or a PostgreSQL connection string (default: $RUNBOOK_STORE, the config's store, or .runbook/state.db beside runbook.config.yaml).")
    var store: String?

    @Option(name: .long, help: "The configuration file (default: $RUNBOOK_CONFIG, or runbook.config.yaml in this folder or a parent).")
    var config: String?
}
