import CLibPQ

/// libpq, loaded with `dlopen` the first time a `pg.*` step or the PostgreSQL store connects (see `Sources/CLibPQ`),
/// so commands that never connect do not map it and its TLS, Kerberos and LDAP libraries at start-up.
enum LibPQ {
    /// libpq's functions, or nil when it cannot be loaded (``loadError`` says why).
    static let functions: cpq_functions? = cpq_load()?.pointee

    /// Why libpq could not be loaded, with what to install.
    static var loadError: String { String(cString: cpq_load_error()) }
}
