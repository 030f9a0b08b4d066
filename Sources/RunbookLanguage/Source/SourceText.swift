/// The text of a source file, used to turn an offset inside a YAML scalar into a file position.
public struct SourceText: Sendable {
    /// The whole file.
    public var text: String

    /// Creates a source text.
    public init(_ text: String) { self.text = text }

    /// The file position of the Unicode-scalar `offset` inside `site`'s content.
    ///
    /// An offset inside a `${{ }}` is found by locating the same `${{` in the file, so it is exact for
    /// block scalars and quoted strings alike; a bare expression (an `if:`) is exact on a single line.
    public func location(ofOffset offset: Int, in site: ScalarSite) -> SourceLocation {
        let content = Array(site.content.unicodeScalars)
        var occurrence = -1
        var openerOffset = 0
        var index = 0
        while index + 2 < content.count, index <= offset {
            if content[index] == "$", content[index + 1] == "{", content[index + 2] == "{" {
                occurrence += 1
                openerOffset = index
            }
            index += 1
        }
        if occurrence < 0 {
            guard site.style != .block, !content.contains("\n") else { return site.start }
            return site.start.advanced(by: offset + (site.style == .quoted ? 1 : 0))
        }
        guard let opener = findOpener(number: occurrence, from: site.start) else { return site.start }
        return opener.advanced(by: offset - openerOffset)
    }

    /// The position of the `number`-th (0-based) `${{` at or after `start`.
    private func findOpener(number: Int, from start: SourceLocation) -> SourceLocation? {
        var line = 1
        var column = 1
        var seen = -1
        var previous: (Unicode.Scalar, Unicode.Scalar) = (" ", " ")
        for scalar in text.unicodeScalars {
            if line > start.line || (line == start.line && column >= start.column + 2) {
                if previous.0 == "$", previous.1 == "{", scalar == "{" {
                    seen += 1
                    if seen == number { return SourceLocation(file: start.file, line: line, column: column - 2) }
                }
            }
            previous = (previous.1, scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }
}
