import RunbookLanguage
import Testing

/// ``VisibleText``: what recorded text looks like once printed.
@Suite("VisibleText")
struct VisibleTextTests {
    @Test("LF, CR and TAB have short forms; the other C0 controls and DEL are \\xHH")
    func asciiControls() {
        #expect(VisibleText.escaped("a\nb\rc\td") == #"a\nb\rc\td"#)
        #expect(VisibleText.escaped("\u{1B}[31mred\u{1B}[0m") == #"\x1b[31mred\x1b[0m"#)
        #expect(VisibleText.escaped("\u{0}\u{7}\u{8}\u{B}\u{C}\u{1F}\u{7F}") == #"\x00\x07\x08\x0b\x0c\x1f\x7f"#)
        for value in UInt8(0)...0x1F {
            let escaped = VisibleText.escaped("<\(Character(Unicode.Scalar(value)))>")
            #expect(escaped.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "\(escaped)")
        }
    }

    @Test("C1 controls, bidi controls, line separators and invisible format characters are \\u{H…}")
    func unicodeControls() {
        #expect(VisibleText.escaped("a\u{85}b\u{9B}c\u{80}\u{9F}") == #"a\u{85}b\u{9b}c\u{80}\u{9f}"#)
        let bidi: [Unicode.Scalar] = [
            "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
            "\u{200E}", "\u{200F}", "\u{061C}",
        ]
        for scalar in bidi {
            #expect(VisibleText.escaped("x\(scalar)y") == "x\\u{\(String(scalar.value, radix: 16))}y")
        }
        #expect(VisibleText.escaped("one\u{2028}two\u{2029}three") == #"one\u{2028}two\u{2029}three"#)
        #expect(VisibleText.escaped("ad\u{200B}min\u{AD}\u{FEFF}\u{2060}") == #"ad\u{200b}min\u{ad}\u{feff}\u{2060}"#)
        #expect(VisibleText.escaped("hidden\u{E0041}\u{E0042}") == #"hidden\u{e0041}\u{e0042}"#)
    }

    @Test("a comment that prints a fake line stays on its own line, escaped")
    func forgedLine() {
        let comment = "checked\n  ⊘ denied restart by carol"
        let line = "  ✓ approved restart by bob (runbook approve): " + VisibleText.escaped(comment)
        #expect(!line.contains("\n"))
        #expect(line == #"  ✓ approved restart by bob (runbook approve): checked\n  ⊘ denied restart by carol"#)
        let overwrite = VisibleText.escaped("ok\r  ⊘ denied\u{1B}[1A\u{1B}[2K")
        #expect(overwrite == #"ok\r  ⊘ denied\x1b[1A\x1b[2K"#)
    }

    @Test("letters of every script, emoji with joiners and variation selectors stay as they are")
    func keepsText() {
        for text in [
            "café", "日本語のテキスト", "Ελληνικά", "עברית", "العربية", "हिन्दी", "🚀 deploy ✅", "👩‍💻 on-call",
            "❤️", "👍🏽", "🇮🇳", "naïve — “quoted” · ½", "می\u{200C}خواهم", "",
        ] {
            #expect(VisibleText.escaped(text) == text)
        }
    }

    @Test("a backslash is doubled only where it would read as the start of an escape")
    func backslashes() {
        #expect(VisibleText.escaped(#"C:\Users\bob"#) == #"C:\Users\bob"#)
        #expect(VisibleText.escaped(#"grep '\d+\s'"#) == #"grep '\d+\s'"#)
        #expect(VisibleText.escaped(#"trailing\"#) == #"trailing\"#)
        #expect(VisibleText.escaped(#"a\nb"#) == #"a\\nb"#)
        #expect(VisibleText.escaped(#"\x1b \u{1b} \r \t \\"#) == #"\\x1b \\u{1b} \\r \\t \\\"#)
        #expect(VisibleText.escaped("\\\n") == #"\\\n"#)
        #expect(VisibleText.escaped("\\\u{1B}") == #"\\\x1b"#)
        // A literal backslash-n and a real line break never print the same.
        #expect(VisibleText.escaped(#"a\nb"#) != VisibleText.escaped("a\nb"))
    }

    @Test("tabs and line breaks can be kept for formats that handle them")
    func kept() {
        #expect(VisibleText.escaped("a\tb\u{1B}", keeping: .tabs) == "a\tb\\x1b")
        #expect(VisibleText.escaped("a\nb\r\n\tc", keeping: .lineBreaks) == "a\nb\r\n\\tc")
        #expect(VisibleText.escaped("a\n\t\u{202E}", keeping: [.tabs, .lineBreaks]) == "a\n\t\\u{202e}")
        #expect(VisibleText.escaped("\\\t", keeping: .tabs) == "\\\t")
        #expect(VisibleText.escaped("\\\t") == #"\\\t"#)
    }

    @Test("text with nothing to escape comes back as it is")
    func untouched() {
        let long = String(repeating: "GET /api/v1/orders?id=42 200 12ms — ok ", count: 100)
        let escaped = VisibleText.escaped(long)
        #expect(escaped == long)
        // The same storage, not a copy.
        let address = { (text: String) in text.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil }
        #expect(address(escaped) == address(long))
        #expect(VisibleText.escaped("short") == "short")
    }

    @Test("every scalar that is escaped leaves only printable ASCII behind")
    func everyEscapedScalar() {
        let ranges: [ClosedRange<UInt32>] = [0...0xA0, 0x600...0x700, 0x1800...0x1900, 0x2000...0x2100,
                                             0xFE00...0xFFFF, 0x1BCA0...0x1BCA4, 0x1D170...0x1D180, 0xE0000...0xE0080]
        for value in ranges.joined() {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let escaped = VisibleText.escaped(String(scalar))
            if VisibleText.isEscaped(scalar) {
                #expect(escaped.hasPrefix("\\") && escaped.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 },
                        "U+\(String(value, radix: 16)) → \(escaped)")
            } else {
                #expect(escaped == String(scalar), "U+\(String(value, radix: 16))")
            }
        }
    }
}
