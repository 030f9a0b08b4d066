import Foundation
import RunbookTestPeers
import RunbookLanguage
import RunbookReport
import RunbookStore
import Testing

/// `runbook timeline`: escaping, trimming, time zones, the audit chain, templates and output files.
@Suite("runbook timeline")
struct TimelineCommandTests {
    /// A note by `author` (carol unless told) at `time`.
    private func note(
        _ text: String, at time: String = "2026-11-22T10:20:00.000Z", by author: String = "carol"
    ) -> RecordedIncident.Entry {
        RecordedIncident.Entry(time: time, draft: EventDraft(
            run: RecordedIncident.incident, incident: RecordedIncident.incident, type: "note.added",
            actor: .user(author), data: ["text": .string(text)]))
    }

    private static let hostile = "a | b <script>alert(1)</script> `rm -rf` *bold* [link](x)\nsecond line, \"quoted\""

    @Test("pipes, <script> and backticks cannot break the Markdown table, the page or the CSV")
    func escaping() async throws {
        let recorded = try await RecordedWorkspace(extra: [note(Self.hostile)])
        let markdown = try recorded.timeline(["--incident", RecordedIncident.incident])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        let row = try #require(markdown.stdout.split(separator: "\n").first { $0.contains("carol: a") && $0.hasPrefix("| ") })
        let unescapedPipes = row.indices.filter { row[$0] == "|" && ($0 == row.startIndex || row[row.index(before: $0)] != "\\") }
        #expect(unescapedPipes.count == 5, "the row has 4 cells: \(row)")
        #expect(row.contains(#"a \| b &lt;script&gt;alert(1)&lt;/script&gt; \`rm -rf\` \*bold\* \[link\](x)<br>second line"#))
        #expect(!markdown.stdout.contains("<script>"))

        let html = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "html"])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.contains("a | b &lt;script&gt;alert(1)&lt;/script&gt; `rm -rf`"))
        #expect(!html.stdout.contains("<script>"))

        let csv = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "csv"])
        let file = recorded.workspace.path("timeline.csv")
        try csv.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let parsed = try RunbookBinary.runProgram("/usr/bin/env", ["python3", "-c", """
            import csv, json, sys
            rows = list(csv.reader(open(sys.argv[1], newline="")))
            print(json.dumps({"widths": sorted({len(r) for r in rows}), "rows": len(rows), "last": rows[-1][-1]}))
            """, file])
        let summary = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any]
        #expect(summary?["widths"] as? [Int] == [11], "\(parsed.stdout) \(parsed.stderr)")
        #expect(summary?["rows"] as? Int == recorded.events.count + 1)
        #expect(summary?["last"] as? String == "carol: " + Self.hostile)
    }

    @Test("CSV cells that a spreadsheet would run as a formula start with a quote; the file stays RFC 4180")
    func csvFormulas() async throws {
        let formulas = ["=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
                        "@SUM(1+1)", "\tindented", "\r=cmd|' /C calc'!A0"]
        let recorded = try await RecordedWorkspace(extra: formulas.enumerated().map { index, author in
            note("formula \(index); a,b \"quoted\"", at: "2026-11-22T10:2\(index):00.000Z", by: author)
        })
        let csv = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let file = recorded.workspace.path("timeline.csv")
        try csv.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let parsed = try RunbookBinary.runProgram("/usr/bin/env", ["python3", "-c", """
            import csv, json, sys
            rows = list(csv.reader(open(sys.argv[1], newline="")))
            header = rows[0]
            notes = [dict(zip(header, r)) for r in rows[1:] if r[header.index("type")] == "note.added"]
            print(json.dumps({"widths": sorted({len(r) for r in rows}),
                              "actors": [n["actor"] for n in notes if n["summary"].count("formula")]}))
            """, file])
        let summary = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any]
        #expect(summary?["widths"] as? [Int] == [11], "\(parsed.stdout) \(parsed.stderr)")
        #expect(summary?["actors"] as? [String] == formulas.map { "'" + $0 }, "\(parsed.stdout)")
        for line in csv.stdout.split(separator: "\n") {
            for cell in line.split(separator: ",") {
                #expect(!"=+-@\t".contains(cell.first ?? " "), "a formula cell: \(line)")
            }
        }
    }

    @Test("control characters and forged lines do not pass through Markdown, HTML or the postmortem")
    func controlsInDocuments() async throws {
        let author = "mallory\n# Forged heading\u{1B}[2J"
        let text = "done\u{1B}[31m\u{202E}evil\u{2066}\u{7}"
        let recorded = try await RecordedWorkspace(extra: [note(text, by: author)])
        for format in ["md", "html", "postmortem", "csv"] {
            let document = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", format])
            #expect(document.status == 0, "\(document.stderr)")
            let raw = document.stdout.unicodeScalars.filter {
                $0.value < 0x20 && $0 != "\n" || [0x7, 0x1B, 0x202E, 0x2066].contains($0.value)
            }
            #expect(raw.isEmpty, "\(format) holds raw \(raw.map { String($0.value, radix: 16) })")
            // In HTML and CSV a line break inside a cell is the cell's; in Markdown it would end the row.
            if format == "md" || format == "postmortem" {
                #expect(!document.stdout.split(separator: "\n").contains { $0.hasPrefix("# Forged") }, "\(format)")
            }
        }
        let markdown = try recorded.timeline(["--incident", RecordedIncident.incident])
        #expect(markdown.stdout.contains(#"done\\x1b\[31m\\u{202e}evil\\u{2066}\\x07"#), "\(markdown.stdout)")
        let postmortem = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "postmortem"])
        #expect(postmortem.stdout.contains(##"Responders in the log: alice, bob, carol, mallory<br>\# Forged heading\\x1b\[2J."##), "\(postmortem.stdout)")
        let html = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "html"])
        #expect(html.stdout.contains(#"done\x1b[31m\u{202e}evil\u{2066}\x07"#))
    }

    @Test("long text is trimmed with a marker saying how much was left out")
    func trimming() async throws {
        let recorded = try await RecordedWorkspace(extra: [note(String(repeating: "x", count: 5_000))])
        let result = try recorded.timeline(["--incident", RecordedIncident.incident])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("x… (trimmed, 3000 more characters)"))
        #expect(result.stdout.contains("x… (trimmed, 3007 more characters)"))
        let html = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "html"])
        #expect(html.stdout.contains("more characters)</pre>"), "the 502 body in the health step's outputs is trimmed")
    }

    @Test("--tz shows times in an IANA zone or a fixed offset; T+ passes the hour; a bad zone is refused")
    func timeZones() async throws {
        let recorded = try await RecordedWorkspace(extra: [note("still watching", at: "2026-11-22T11:05:30.000Z")])
        let utc = try recorded.timeline(["--incident", RecordedIncident.incident])
        #expect(utc.stdout.contains("| Started (the first alert's start) | 2026-11-22 09:58:00 UTC | T+00:00 |"))
        #expect(utc.stdout.contains("| 10:00:05 | T+02:05 | alert CheckoutAPI5xx firing"))
        #expect(utc.stdout.contains("| 11:05:30 | T+01:07:30 | carol: still watching |"))
        for zone in ["Asia/Kolkata", "+05:30"] {
            let local = try recorded.timeline(["--incident", RecordedIncident.incident, "--tz", zone])
            #expect(local.status == 0, "\(local.stderr)")
            #expect(local.stdout.contains("2026-11-22 15:28:00 +05:30"), "\(zone)")
            #expect(local.stdout.contains("| 15:30:05 | T+02:05 | alert CheckoutAPI5xx"), "\(zone)")
        }
        let newYork = try recorded.timeline(["--incident", RecordedIncident.incident, "--tz", "America/New_York"])
        #expect(newYork.stdout.contains("2026-11-22 04:58:00 -05:00"))
        for bad in ["Mars/Base", "+25:00", "IST5"] {
            let refused = try recorded.timeline(["--incident", RecordedIncident.incident, "--tz", bad])
            #expect(refused.status == 2, "\(bad)")
            #expect(refused.stderr.contains("error: unknown time zone '\(bad)'"), "\(refused.stderr)")
        }
    }

    @Test("a broken chain is refused with the first bad seq, or rendered with a warning under --allow-unverified")
    func brokenChain() async throws {
        let recorded = try await RecordedWorkspace()
        let denied = try #require(recorded.events.first { $0.type == "gate.denied" })
        try tamper(recorded.storePath, replacing: "a deploy is in progress", with: "a deploy is in pr0gress")

        let refused = try recorded.timeline(["--incident", RecordedIncident.incident])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("error: seq \(denied.seq): hash mismatch"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)

        for format in ["md", "postmortem"] {
            let allowed = try recorded.timeline(
                ["--incident", RecordedIncident.incident, "--format", format, "--allow-unverified"])
            #expect(allowed.status == 0, "\(allowed.stderr)")
            #expect(allowed.stdout.contains(
                "> **⚠** UNVERIFIED: the audit chain is broken at seq \(denied.seq): hash mismatch."))
            #expect(allowed.stdout.contains("**Audit chain NOT verified:** broken at seq \(denied.seq)"))
            #expect(allowed.stderr.contains("warning: the audit chain does not verify"))
        }
        let html = try recorded.timeline(
            ["--incident", RecordedIncident.incident, "--format", "html", "--allow-unverified"])
        #expect(html.stdout.contains(#"<p class="warning" role="alert">⚠ UNVERIFIED"#))
        let json = try recorded.timeline(
            ["--incident", RecordedIncident.incident, "--format", "json", "--allow-unverified"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let audit = document?["audit"] as? [String: Any]
        #expect(audit?["verified"] as? Bool == false)
        #expect(audit?["first_bad_seq"] as? Int == Int(denied.seq))
    }

    @Test("--template renders any Mustache template; templates/ beside the config replaces a built-in one")
    func templates() async throws {
        let recorded = try await RecordedWorkspace()
        try recorded.workspace.write("mine.mustache", "{{incident.id}} {{#rto}}{{status}}{{/rto}}:{{#events}} {{seq}}{{/events}}\n")
        let mine = try recorded.timeline(["--incident", RecordedIncident.incident, "--template", "mine.mustache"])
        #expect(mine.status == 0, "\(mine.stderr)")
        let seqs = (1...recorded.events.count).map { " \($0)" }.joined()
        #expect(mine.stdout == "INC-4711 met:\(seqs)\n")

        try FileManager.default.createDirectory(atPath: recorded.workspace.path("templates"), withIntermediateDirectories: true)
        try recorded.workspace.write("templates/postmortem.md.mustache", "# PM {{{incident.title_md}}}\n")
        let local = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "postmortem"])
        #expect(local.stdout == "# PM Checkout API returns 502\n")

        try recorded.workspace.write("broken.mustache", "line one\n{{#events}}\n{{seq}}\n")
        let broken = try recorded.timeline(["--incident", RecordedIncident.incident, "--template", "broken.mustache"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("error: broken.mustache:"), "\(broken.stderr)")
        let json = try recorded.timeline(
            ["--incident", RecordedIncident.incident, "--format", "json", "--template", "mine.mustache"])
        #expect(json.status == 2)
        #expect(json.stderr.contains("--template does not apply to --format json"))
        let missing = try recorded.timeline(["--incident", RecordedIncident.incident, "--template", "nope.mustache"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the template 'nope.mustache'"))
    }

    @Test("--out writes the document to a file and prints its path")
    func outputFile() async throws {
        let recorded = try await RecordedWorkspace()
        let result = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "html", "--out", "tl.html"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "wrote tl.html\n")
        let page = try String(contentsOfFile: recorded.workspace.path("tl.html"), encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        let stdout = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "html"])
        #expect(page == stdout.stdout)
        let bad = try recorded.timeline(["--incident", RecordedIncident.incident, "--out", "no/such/dir/tl.md"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("error: cannot write 'no/such/dir/tl.md'"))
    }

    @Test("an unknown run or incident, or no scope at all, is a usage error (exit 2)")
    func notFound() async throws {
        let recorded = try await RecordedWorkspace()
        let run = try recorded.timeline(["r-20261122-100010-a1f4"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no run 'r-20261122-100010-a1f4'"))
        #expect(run.stderr.contains("did you mean"))
        let incident = try recorded.timeline(["--incident", "INC-0000"])
        #expect(incident.status == 2)
        #expect(incident.stderr.contains("no events of incident 'INC-0000'"))
        #expect(try recorded.timeline([]).status == 2)
        #expect(try recorded.timeline([RecordedIncident.firstRun, "--incident", RecordedIncident.incident]).status == 2)
    }

    @Test("the templates built into the binary are the files in templates/")
    func embeddedTemplates() throws {
        let directory = RunbookBinary.packageRoot.appendingPathComponent("templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        #expect(files.count == 4)
        for file in files {
            let name = String(file.dropLast(".mustache".count))
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(TemplateSource.builtIn(name).text == text, "\(file) changed: run scripts/embed-templates")
        }
        for format in TimelineFormat.allCases {
            guard let name = format.templateName else { continue }
            #expect(!TemplateSource.builtIn(name).text.isEmpty, "\(name)")
        }
    }

    @Test("headless Chromium prints the HTML timeline to a PDF")
    func printsToPDF() async throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let chromium else {
            Issue.record("chromium is not installed: run scripts/setup (it installs Debian's chromium)")
            return
        }
        let recorded = try await RecordedWorkspace()
        let result = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "html", "--out", "tl.html"])
        #expect(result.status == 0, "\(result.stderr)")
        let pdf = recorded.workspace.path("tl.pdf")
        let printed = try RunbookBinary.runProgram(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(recorded.workspace.path("chromium"))",
            "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: recorded.workspace.path("tl.html")).absoluteString,
        ], environment: ["HOME": recorded.workspace.path(".")])
        #expect(printed.status == 0, "\(printed.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(data.count > 1_000)
        #expect(data.starts(with: Data("%PDF".utf8)))
    }
}

/// The escaping, trimming and time-zone rules on their own.
@Suite("Timeline text")
struct TimelineTextTests {
    @Test("Markdown escaping")
    func markdown() {
        #expect(TextEscaping.markdown("a|b") == #"a\|b"#)
        #expect(TextEscaping.markdown("<script>&") == "&lt;script&gt;&amp;")
        #expect(TextEscaping.markdown("`x` *y* _z_ #1") == ##"\`x\` \*y\* \_z\_ \#1"##)
        #expect(TextEscaping.markdown("- item\n+ more") == #"\- item<br>+ more"#)
        #expect(TextEscaping.markdown(#"back\slash"#) == #"back\\slash"#)
        #expect(TextEscaping.markdown("red\u{1B}[31m\u{202E}\t") == #"red\\x1b\[31m\\u{202e}\\t"#)
        #expect(TextEscaping.markdown("two\r\nlines") == "two<br>lines")
        #expect(TextEscaping.markdown("café 日本 🚀") == "café 日本 🚀")
    }

    @Test("CSV quoting")
    func csv() {
        #expect(TextEscaping.csv("plain") == "plain")
        #expect(TextEscaping.csv("a,b") == #""a,b""#)
        #expect(TextEscaping.csv(#"say "hi""#) == #""say ""hi""""#)
        #expect(TextEscaping.csv("two\nlines") == "\"two\nlines\"")
        #expect(TextEscaping.csv(" padded") == "\" padded\"")
        #expect(TextEscaping.csv("a;b") == #""a;b""#)
        #expect(TextEscaping.csv("café 日本 🚀") == "café 日本 🚀")
    }

    @Test("CSV cells starting like a formula get a leading quote (OWASP)")
    func csvFormulas() {
        #expect(TextEscaping.csv("=1+1") == #""'=1+1""#)
        #expect(TextEscaping.csv("+1") == #""'+1""#)
        #expect(TextEscaping.csv("-1") == #""'-1""#)
        #expect(TextEscaping.csv("@SUM(A1)") == #""'@SUM(A1)""#)
        #expect(TextEscaping.csv("\tx") == "\"'\tx\"")
        #expect(TextEscaping.csv("\rx") == "\"'\rx\"")
        #expect(TextEscaping.csv(#"=HYPERLINK("http://x","y")"#) == #""'=HYPERLINK(""http://x"",""y"")""#)
        #expect(TextEscaping.csv("a=1") == "a=1")
        #expect(TextEscaping.csv("\u{1B}=1") == #"\x1b=1"#)
        #expect(TextEscaping.csv("x\u{202E}y\tz") == "x\\u{202e}y\tz")
    }

    @Test("trimming keeps the start and counts what is left out")
    func trim() {
        #expect(TextEscaping.trim("short", limit: 10) == "short")
        #expect(TextEscaping.trim(String(repeating: "é", count: 15), limit: 10)
            == String(repeating: "é", count: 10) + "… (trimmed, 5 more characters)")
    }

    @Test("time zones: UTC, IANA names, offsets; anything else is refused")
    func zones() throws {
        #expect(try ReportTimeZone(parsing: "utc") == .utc)
        #expect(try ReportTimeZone(parsing: "Z").isUTC)
        #expect(try ReportTimeZone(parsing: "Asia/Kolkata").name == "Asia/Kolkata")
        #expect(try ReportTimeZone(parsing: "+0530").name == "+05:30")
        #expect(try ReportTimeZone(parsing: "-08").name == "-08:00")
        for bad in ["", "Kolkata", "+5:3", "+19:00", "Nowhere/Town", "+05:60"] {
            #expect(throws: ReportError.self, "\(bad)") { try ReportTimeZone(parsing: bad) }
        }
    }
}
