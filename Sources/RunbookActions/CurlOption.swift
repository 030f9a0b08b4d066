/// A libcurl setting beyond the ones every request gets, for credentials and TLS material.
///
/// `CurlEasy` applies these after the standard options.
public enum CurlOption: Sendable, Hashable {
    /// Signs the request with AWS Signature Version 4 (`CURLOPT_AWS_SIGV4`), e.g. `aws:amz:us-east-1:ecs`; the
    /// access key id and secret go in `userPassword` as `KEY:SECRET`.
    case awsSigV4(String)
    /// `user:password` for HTTP authentication (`CURLOPT_USERPWD`).
    case userPassword(String)
    /// A PEM client certificate (`CURLOPT_SSLCERT_BLOB`), e.g. from a kubeconfig.
    case clientCertificate(pem: [UInt8])
    /// The PEM private key of the client certificate (`CURLOPT_SSLKEY_BLOB`).
    case clientKey(pem: [UInt8])
    /// PEM certificate authorities to trust instead of the system store (`CURLOPT_CAINFO_BLOB`).
    case certificateAuthorities(pem: [UInt8])
    /// Accepts any server certificate and host name; only for a configuration that asks for it explicitly.
    case skipTLSVerification
}
