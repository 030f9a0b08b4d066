/// A named profile of the shared AWS files: its keys from `~/.aws/credentials` (`[name]`) and `~/.aws/config`
/// (`[profile name]`, or `[default]`), the credentials file winning where both set a key.
struct AWSProfile: Sendable, Hashable {
    /// The profile's name.
    var name: String
    /// The credentials file's path.
    var credentialsPath: String
    /// The config file's path.
    var configPath: String
    /// The profile's section of the credentials file, if it has one.
    var credentialsSection: [String: String]?
    /// The profile's section of the config file, if it has one.
    var configSection: [String: String]?

    /// Whether either file has the profile.
    var exists: Bool { credentialsSection != nil || configSection != nil }

    /// The value of `key` (lowercase), from the credentials file first.
    func value(_ key: String) -> String? {
        (credentialsSection?[key] ?? configSection?[key]).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The static credentials the profile holds, or nil when it holds none.
    var credentials: AWSCredentials? {
        for (section, path) in [(credentialsSection, credentialsPath), (configSection, configPath)] {
            guard let section, let key = section["aws_access_key_id"], !key.isEmpty,
                let secret = section["aws_secret_access_key"], !secret.isEmpty
            else { continue }
            let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(
                accessKeyID: key, secretAccessKey: secret, sessionToken: token,
                source: "profile '\(name)' of \(path)")
        }
        return nil
    }

    /// The credential sources of the AWS CLI that runbook does not run itself (assume-role, SSO, a process), named
    /// for a message; nil when the profile uses none.
    var unsupportedSource: String? {
        if value("role_arn") != nil { return "role_arn (an assumed role)" }
        if value("sso_session") != nil || value("sso_start_url") != nil { return "AWS IAM Identity Center (SSO)" }
        if value("credential_process") != nil { return "credential_process" }
        if value("web_identity_token_file") != nil { return "web_identity_token_file" }
        return nil
    }
}
