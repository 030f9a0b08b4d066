import Foundation

/// An INI file as the AWS CLI writes `~/.aws/credentials` and `~/.aws/config`: `[section]` headers, `key = value`
/// lines, and `#` or `;` comment lines.
///
/// Indented lines (the nested `s3 =` settings of the config file) and lines before the first section are ignored;
/// keys are compared without case, as the AWS CLI does.
struct INIFile: Sendable, Hashable {
    /// Each section's keys (lowercased) and values, by the section's name as written between the brackets.
    private(set) var sections: [String: [String: String]] = [:]

    /// Parses `text`; malformed lines are ignored, as the AWS CLI ignores them.
    init(text: String) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let indented = rawLine.first?.isWhitespace == true
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard !indented, let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            sections[section, default: [:]][key] = value
        }
    }

    /// The keys of the section called `name`, or nil when there is no such section.
    subscript(section name: String) -> [String: String]? {
        sections[name]
    }
}
