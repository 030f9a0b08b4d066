@testable import RunbookActions
import Testing

@Suite("The XML reader of AWS answers")
struct XMLTreeTests {
    private func parse(_ text: String) throws(XMLTree.SyntaxError) -> XMLTree {
        try XMLTree(parsing: Array(text.utf8))
    }

    @Test func elementsTextReferencesAndCDATA() throws {
        let root = try parse(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE note>
            <s3:ListBucketResult xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/" a='x>y'>
              <Name>photos</Name>
              <Contents><Key>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x4E2D;</Key></Contents>
              <Contents><Key><![CDATA[<raw> & text]]></Key><Empty/></Contents>
            </s3:ListBucketResult>
            """)
        #expect(root.name == "ListBucketResult")
        #expect(root.string("Name") == "photos")
        #expect(root.all("Contents").map { $0.string("Key") } == ["a & b <c> \"d\" 'e' é中", "<raw> & text"])
        #expect(root.first("Empty") == XMLTree(name: "Empty"))
        #expect(root.string("Contents", "Missing") == nil)
    }

    @Test func malformedDocumentsAreRefused() {
        #expect(throws: XMLTree.SyntaxError.self) { try parse("") }
        #expect(throws: XMLTree.SyntaxError.self) { try parse("<a><b></a>") }
        #expect(throws: XMLTree.SyntaxError.self) { try parse("<a>") }
        #expect(throws: XMLTree.SyntaxError.self) { try parse("<a>&nbsp;</a>") }
        #expect(throws: XMLTree.SyntaxError.self) { try parse("<a/><b/>") }
        #expect(throws: XMLTree.SyntaxError.self) { try parse("Bad gateway") }
        do {
            _ = try parse("<a></b>")
        } catch {
            #expect(error.description == "malformed XML at byte 6: </b> closes <a>")
        }
    }
}
