import Foundation
import Yams

/// Reads `runbook.config.yaml`, reporting unknown keys and bad values at their line and column.
public struct ConfigLoader: Sendable {
    /// The process environment `${VAR}` references are read from.
    public var environment: [String: String]

    static let topLevelKeys = ["store", "environments", "notify", "severities", "serve", "permissions", "audit"]
    static let auditKeys = ["signing_key", "checkpoint_every", "notify"]
    static let permissionKeys = ["break_glass", "lower_severity"]
    static let serveKeys = [
        "listen", "tokens", "pagerduty_secret", "sns_topics", "max_concurrent_runs", "max_body_bytes", "header_timeout",
        "body_timeout", "idle_timeout", "max_connections", "rate_limit", "rate_burst", "environment", "url",
    ]
    static let tokenKeys = ["name", "token"]
    static let severityKeys = ["gate_timeout", "allow_yes", "notify"]
    static let environmentKeys = ["vars", "aws", "kubernetes", "postgres", "require_confirmation"]
    static let awsKeys = ["region", "profile", "endpoint_url"]
    static let kubernetesKeys = ["context", "namespace"]
    static let channelKeys = ["slack_webhook", "webhook"]

    /// Creates a loader that expands `${VAR}` from `environment`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Reads the file at `path`.
    public func load(path: String) -> Result<RunbookConfig, ValidationFailure> {
        let start = SourceLocation(file: path, line: 1, column: 1)
        // Read through a file handle so that `--config /dev/null` (no configuration) works too.
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else {
            return .failure(ValidationFailure([Diagnostic(start, "the configuration file cannot be read")]))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .failure(ValidationFailure([Diagnostic(start, "the configuration file is not UTF-8 text")]))
        }
        return load(text: text, file: path)
    }

    /// Reads configuration `text`, naming `file` in diagnostics.
    public func load(text: String, file: String) -> Result<RunbookConfig, ValidationFailure> {
        var reader = DocumentReader(file: file, source: SourceText(text))
        var config = RunbookConfig(file: file)
        var channelReferences: [Located<String>] = []
        var environmentReference: Located<String>?
        guard let root = YAMLComposer.compose(text, file: file, into: &reader) else {
            if reader.diagnostics.count == 1, reader.diagnostics[0].message == "the file is empty" { return .success(config) }
            return .failure(ValidationFailure(reader.diagnostics))
        }
        guard let entries = reader.mapping(root, "the configuration") else {
            return .failure(ValidationFailure(reader.diagnostics))
        }
        reader.checkKeys(entries, allowed: Self.topLevelKeys, in: "the configuration")
        for entry in entries {
            switch entry.key {
            case "store":
                config.store = reader.text(entry.value, "'store'").map { expand($0, into: &config).text }
            case "environments":
                for field in reader.mapping(entry.value, "'environments'") ?? [] {
                    config.environments[field.key] = readEnvironment(field, config: &config, reader: &reader)
                }
            case "notify":
                for field in reader.mapping(entry.value, "'notify'") ?? [] {
                    if let channel = readChannel(field, config: &config, reader: &reader) {
                        config.channels[field.key] = channel
                    }
                }
            case "severities":
                for field in reader.mapping(entry.value, "'severities'") ?? [] {
                    channelReferences += readSeverity(field, config: &config, reader: &reader)
                }
            case "audit":
                channelReferences += readAudit(entry.value, config: &config, reader: &reader)
            case "permissions":
                readPermissions(entry.value, config: &config, reader: &reader)
            case "serve":
                if let environment = readServe(entry.value, config: &config, reader: &reader) {
                    environmentReference = environment
                }
            default: break
            }
        }
        for reference in channelReferences where config.channels[reference.value] == nil {
            let names = config.channels.keys.sorted()
            reader.error(reference.location, "unknown notify channel '\(reference.value)'"
                            + NearestName.didYouMean(reference.value, among: names),
                         hint: names.isEmpty ? "define it under 'notify:'" : "the channels are " + names.joined(separator: ", "))
        }
        if let reference = environmentReference, config.environments[reference.value] == nil {
            let names = config.environments.keys.sorted()
            reader.error(reference.location, "unknown environment '\(reference.value)' in 'serve'"
                            + NearestName.didYouMean(reference.value, among: names),
                         hint: names.isEmpty ? "define it under 'environments:'"
                            : "the environments are " + names.joined(separator: ", "))
        }
        return reader.diagnostics.isEmpty ? .success(config) : .failure(ValidationFailure(reader.diagnostics))
    }

    /// Reads `audit:`; returns the channels it names, checked once every channel is known.
    private func readAudit(
        _ node: Node, config: inout RunbookConfig, reader: inout DocumentReader
    ) -> [Located<String>] {
        guard let fields = reader.mapping(node, "'audit'") else { return [] }
        reader.checkKeys(fields, allowed: Self.auditKeys, in: "'audit'")
        var references: [Located<String>] = []
        for field in fields {
            let what = "'\(field.key)' of 'audit'"
            switch field.key {
            case "signing_key":
                config.audit.signingKey = reader.text(field.value, what)
            case "checkpoint_every":
                guard let every = reader.duration(field.value, what) else { continue }
                if every < .seconds(1) {
                    reader.error(reader.location(field.value), "\(what) must be at least 1s")
                } else {
                    config.audit.checkpointEvery = every
                }
            case "notify":
                references = reader.stringList(field.value, what) ?? []
                config.audit.notify = references.map(\.value)
            default: break
            }
        }
        return references
    }

    /// Reads `permissions:`: each key `true`, `false`, or a list of names.
    private func readPermissions(_ node: Node, config: inout RunbookConfig, reader: inout DocumentReader) {
        guard let fields = reader.mapping(node, "'permissions'") else { return }
        reader.checkKeys(fields, allowed: Self.permissionKeys, in: "'permissions'")
        for field in fields {
            let what = "'\(field.key)' of 'permissions'"
            let list: PermissionList
            if case .sequence = field.value {
                list = .people((reader.stringList(field.value, what) ?? []).map(\.value))
            } else if let allowed = reader.bool(field.value, what + " (true, false, or a list of names)") {
                list = allowed ? .everyone : .nobody
            } else {
                continue
            }
            switch field.key {
            case "break_glass": config.permissions.breakGlass = list
            case "lower_severity": config.permissions.lowerSeverity = list
            default: break
            }
        }
    }

    /// Reads `serve:`; returns the environment it names, checked once every environment is known.
    private func readServe(
        _ node: Node, config: inout RunbookConfig, reader: inout DocumentReader
    ) -> Located<String>? {
        guard let fields = reader.mapping(node, "'serve'") else { return nil }
        reader.checkKeys(fields, allowed: Self.serveKeys, in: "'serve'")
        var environment: Located<String>?
        for field in fields {
            let what = "'\(field.key)' of 'serve'"
            switch field.key {
            case "listen":
                if let listen = reader.text(field.value, what) { config.serve.listen = listen }
            case "tokens":
                config.serve.tokens = readTokens(field.value, config: &config, reader: &reader)
            case "pagerduty_secret":
                let text = reader.text(field.value, what)
                config.serve.secretVariables += text.map(Self.variableNames) ?? []
                config.serve.pagerDutySecret = text.map { expand($0, into: &config) }
                    .flatMap { $0.missing.isEmpty ? $0.text : nil }
                if let secret = config.serve.pagerDutySecret, !config.secrets.contains(secret) {
                    config.secrets.append(secret)
                }
            case "sns_topics":
                config.serve.snsTopics = (reader.stringList(field.value, what) ?? []).map(\.value)
            case "max_concurrent_runs":
                if let count = reader.int(field.value, what, minimum: 1) { config.serve.maxConcurrentRuns = count }
            case "max_body_bytes":
                if let bytes = reader.int(field.value, what, minimum: 1_024) { config.serve.maxBodyBytes = bytes }
            case "header_timeout":
                if let seconds = reader.int(field.value, what, minimum: 1) { config.serve.headerTimeout = seconds }
            case "body_timeout":
                if let seconds = reader.int(field.value, what, minimum: 1) { config.serve.bodyTimeout = seconds }
            case "idle_timeout":
                if let seconds = reader.int(field.value, what, minimum: 1) { config.serve.idleTimeout = seconds }
            case "max_connections":
                if let count = reader.int(field.value, what, minimum: 1) { config.serve.maxConnections = count }
            case "rate_limit":
                if let count = reader.int(field.value, what, minimum: 1) { config.serve.rateLimit = count }
            case "rate_burst":
                if let count = reader.int(field.value, what, minimum: 1) { config.serve.rateBurst = count }
            case "environment":
                if let name = reader.text(field.value, what) {
                    config.serve.environment = name
                    environment = Located(name, at: reader.location(field.value))
                }
            case "url":
                config.serve.url = reader.text(field.value, what)
            default: break
            }
        }
        return environment
    }

    /// Reads `serve.tokens`: a list of `{name, token}`; a token whose `${VAR}` is unset is kept empty (never
    /// accepted), and names must be unique.
    private func readTokens(
        _ node: Node, config: inout RunbookConfig, reader: inout DocumentReader
    ) -> [ServeToken] {
        guard case .sequence(let items) = node else {
            reader.error(reader.location(node), "'tokens' of 'serve' must be a list of {name, token}")
            return []
        }
        var tokens: [ServeToken] = []
        for item in items {
            guard let fields = reader.mapping(item, "a token of 'serve'") else { continue }
            reader.checkKeys(fields, allowed: Self.tokenKeys, in: "a token of 'serve'")
            var name: String?
            var token: String?
            for field in fields {
                switch field.key {
                case "name": name = reader.text(field.value, "'name' of a token")
                case "token":
                    let text = reader.text(field.value, "'token' of a token")
                    config.serve.secretVariables += text.map(Self.variableNames) ?? []
                    token = text.map { expand($0, into: &config) }.map { $0.missing.isEmpty ? $0.text : "" }
                    // A token written in the file itself is as secret as one from a variable.
                    if let token, !token.isEmpty, !config.secrets.contains(token) { config.secrets.append(token) }
                default: break
                }
            }
            guard let name, let token else {
                reader.error(reader.location(item), "a token of 'serve' needs both 'name' and 'token'")
                continue
            }
            if tokens.contains(where: { $0.name == name }) {
                reader.error(reader.location(item), "token name '\(name)' appears twice in 'serve'; names are actors "
                             + "in the audit log and must be unique")
            }
            tokens.append(ServeToken(name: name, token: token))
        }
        return tokens
    }

    private func readEnvironment(
        _ entry: YAMLEntry, config: inout RunbookConfig, reader: inout DocumentReader
    ) -> EnvironmentConfig {
        var environment = EnvironmentConfig(name: entry.key)
        let what = "environment '\(entry.key)'"
        guard let fields = reader.mapping(entry.value, what) else { return environment }
        reader.checkKeys(fields, allowed: Self.environmentKeys, in: what)
        for field in fields {
            switch field.key {
            case "vars":
                for variable in reader.mapping(field.value, "'vars' of \(what)") ?? [] {
                    guard let value = reader.value(variable.value) else { continue }
                    if case .string(let text) = value {
                        environment.variables[variable.key] = .string(expand(text, into: &config).text)
                    } else {
                        environment.variables[variable.key] = value
                    }
                }
            case "aws":
                var aws = AWSSettings()
                let context = "'aws' of \(what)"
                let settings = reader.mapping(field.value, context) ?? []
                reader.checkKeys(settings, allowed: Self.awsKeys, in: context)
                for setting in settings {
                    let text = reader.text(setting.value, "'\(setting.key)' of \(context)").map {
                        expand($0, into: &config).text
                    }
                    switch setting.key {
                    case "region": aws.region = text
                    case "profile": aws.profile = text
                    case "endpoint_url": aws.endpointURL = text
                    default: break
                    }
                }
                environment.aws = aws
            case "kubernetes":
                var kubernetes = KubernetesSettings()
                let context = "'kubernetes' of \(what)"
                let settings = reader.mapping(field.value, context) ?? []
                reader.checkKeys(settings, allowed: Self.kubernetesKeys, in: context)
                for setting in settings {
                    let text = reader.text(setting.value, "'\(setting.key)' of \(context)")
                    switch setting.key {
                    case "context": kubernetes.context = text
                    case "namespace": kubernetes.namespace = text
                    default: break
                    }
                }
                environment.kubernetes = kubernetes
            case "postgres":
                environment.postgres = reader.text(field.value, "'postgres' of \(what)").map {
                    expand($0, into: &config).text
                }
            case "require_confirmation":
                environment.requireConfirmation = reader.bool(field.value, "'require_confirmation' of \(what)") ?? false
            default: break
            }
        }
        return environment
    }

    /// Reads one level of `severities:`; returns the channels it names, checked once every channel is known.
    private func readSeverity(
        _ entry: YAMLEntry, config: inout RunbookConfig, reader: inout DocumentReader
    ) -> [Located<String>] {
        guard let severity = Severity(parsing: entry.key) else {
            reader.error(entry.keyLocation, "unknown severity '\(entry.key)' under 'severities'; use \(Severity.spellings)")
            return []
        }
        let what = "severity \(severity)"
        guard let fields = reader.mapping(entry.value, what) else { return [] }
        var references: [Located<String>] = []
        reader.checkKeys(fields, allowed: Self.severityKeys, in: what)
        var policy = config.policy(for: severity)
        for field in fields {
            switch field.key {
            case "gate_timeout":
                if let timeout = reader.duration(field.value, "'gate_timeout' of \(what)") { policy.gateTimeout = timeout }
            case "allow_yes":
                if let allows = reader.bool(field.value, "'allow_yes' of \(what)") { policy.allowsYes = allows }
            case "notify":
                references = reader.stringList(field.value, "'notify' of \(what)") ?? []
                policy.channels = references.map(\.value)
            default: break
            }
        }
        config.severities[severity] = policy
        return references
    }

    private func readChannel(
        _ entry: YAMLEntry, config: inout RunbookConfig, reader: inout DocumentReader
    ) -> ChannelConfig? {
        let what = "notify channel '\(entry.key)'"
        guard let fields = reader.mapping(entry.value, what) else { return nil }
        reader.checkKeys(fields, allowed: Self.channelKeys, in: what)
        guard fields.count == 1, let field = fields.first, Self.channelKeys.contains(field.key) else {
            if fields.count > 1 {
                reader.error(fields[1].keyLocation, "\(what) has more than one webhook; give it one of "
                             + Self.channelKeys.joined(separator: ", "))
            } else if fields.isEmpty {
                reader.error(entry.keyLocation, "\(what) needs 'slack_webhook' or 'webhook'")
            }
            return nil
        }
        guard let raw = reader.text(field.value, "'\(field.key)' of \(what)") else { return nil }
        let expanded = expand(raw, into: &config)
        return ChannelConfig(
            name: entry.key, kind: field.key == "slack_webhook" ? "slack" : "webhook", url: expanded.text,
            missingVariables: expanded.missing)
    }

    /// The names of the `${NAME}` references in `text`.
    static func variableNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// `text` with each `${NAME}` replaced by the environment variable's value, which becomes a secret.
    func expand(_ text: String, into config: inout RunbookConfig) -> (text: String, missing: [String]) {
        guard text.contains("${") else { return (text, []) }
        var output = ""
        var missing: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                output += rest[open.lowerBound...]
                rest = rest[rest.endIndex...]
                break
            }
            let name = String(rest[open.upperBound..<close])
            if let value = environment[name] {
                output += value
                if !config.secrets.contains(value) { config.secrets.append(value) }
            } else {
                missing.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        return (output + rest, missing)
    }
}
