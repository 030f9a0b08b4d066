import Crypto

/// The SHA-256 digest of a text, as `sha256:` and 64 lowercase hex digits: how `run.started` names the runbook a
/// run started with, so a later change to the file is seen.
public enum ContentDigest {
    /// The digest of `text`'s UTF-8 bytes.
    public static func sha256(_ text: String) -> String {
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return "sha256:" + String(decoding: AuditLine.hex(digest), as: UTF8.self)
    }
}
