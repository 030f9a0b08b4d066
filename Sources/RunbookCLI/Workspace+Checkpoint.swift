import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore

extension Workspace {
    /// The key `audit.signing_key` names (a relative path is relative to the configuration's folder), or nil when
    /// none is configured.
    /// - Throws: `CommandFailure` (exit 2) naming the configuration when the file is not a readable private key.
    func signingKey() throws -> CheckpointSigningKey? {
        guard let path = config.audit.signingKey else { return nil }
        let base = config.file.map(FilePaths.parent(of:)) ?? FilePaths.currentDirectory
        do throws(CheckpointKeyError) {
            return try CheckpointSigningKey(file: FilePaths.absolute(path, relativeTo: base))
        } catch {
            throw CommandFailure(
                "'signing_key' of 'audit' in \(config.file ?? "the configuration"): \(error.message)",
                hint: "`runbook audit keygen --out FILE` writes a key", status: .invalid)
        }
    }
}

extension Workspace {
    /// What signs and posts checkpoints as the configuration says: nil when 'audit.signing_key' is not set.
    /// - Throws: `CommandFailure` (exit 2) for an unreadable key.
    func checkpointWitness(console: Console) throws -> CheckpointWitness? {
        guard let key = try signingKey() else { return nil }
        let channels = config.audit.notify.compactMap { name -> NotifyChannel? in
            guard let channel = config.channels[name] else { return nil }
            guard channel.missingVariables.isEmpty else {
                console.warning("checkpoints cannot be posted to '\(name)': "
                                + channel.missingVariables.map { "$\($0)" }.joined(separator: ", ") + " is not set")
                return nil
            }
            return NotifyChannel(name: name, kind: channel.kind == "slack" ? .slack : .webhook, url: channel.url)
        }
        return CheckpointWitness(key: key, channels: channels)
    }
}
