import Testing

@testable import RunbookActions

@Suite("shell output helpers")
struct ShellOutputParsingTests {
    @Test func outputFileForms() {
        let text = "a=1\r\nb<<END\r\nx\r\n\r\ny\r\nEND\r\nnot a pair\n=novalue\nc<<\nd=e<<f\nlast<<EOF\nunterminated"
        let outputs = RunbookOutputFile.parse(text)
        #expect(outputs["a"] == "1")
        #expect(outputs["b"] == "x\n\ny")
        #expect(outputs["d"] == "e<<f")
        #expect(outputs["last"] == "unterminated")
        #expect(outputs["c"] == nil)  // a heredoc needs a delimiter
        #expect(outputs.count == 4)
    }

    @Test func laterValueWins() {
        #expect(RunbookOutputFile.parse("k=1\nk=2\n") == ["k": "2"])
    }

    @Test func tailStartsOnACharacterBoundary() {
        var tail = OutputTail(limit: 5)
        tail.append(Array("aé€x".utf8))  // 1 + 2 + 3 + 1 bytes; the last 5 start inside 'é'
        #expect(tail.text == "…[truncated 3 bytes]\n€x")
    }

    @Test func tailWithoutTruncationTrimsTrailingNewlines() {
        var tail = OutputTail(limit: 100)
        tail.append(Array("a\nb\n\n".utf8))
        #expect(tail.text == "a\nb")
    }

    @Test func tailCountsEverythingDropped() {
        var tail = OutputTail(limit: 4)
        for _ in 0..<100 { tail.append(Array("0123456789".utf8)) }
        #expect(tail.text == "…[truncated 996 bytes]\n6789")
    }

    @Test func splitterKeepsPartialLines() {
        var splitter = LineSplitter(maxLineBytes: 8)
        #expect(splitter.feed(Array("ab".utf8)) == [])
        #expect(splitter.feed(Array("c\r\nde\nf".utf8)) == ["abc", "de"])
        #expect(splitter.feed(Array("0123456789".utf8)) == ["f0123456"])
        #expect(splitter.finish() == "789")
        #expect(splitter.finish() == nil)
    }
}
