/// Why a kubeconfig could not be read.
struct KubeconfigError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file.
    var description: String

    /// Creates an error.
    init(_ description: String) { self.description = description }
}
