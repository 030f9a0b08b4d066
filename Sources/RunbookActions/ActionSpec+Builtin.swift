import RunbookLanguage

extension ActionSpec {
    /// The built-in catalog's spec of the action called `name`.
    ///
    /// Every registered action names a spec the catalog has (a test checks it); the placeholder returned otherwise
    /// keeps this free of force unwraps and is never reached.
    static func builtin(_ name: String) -> ActionSpec {
        ActionCatalog.builtin[name]
            ?? ActionSpec(
                name: name, summary: "", mutating: true, defaultTimeout: nil, parameters: [], outputs: nil)
    }
}
