import Foundation
import Testing
@testable import StatementChecker

@Suite("Reading documents")
struct ReadingTests {
    let reader = DocumentReader()

    @Test func plainTextInUTF8() throws {
        let doc = try reader.read(Data("Our modern slavery statement. We audit suppliers.".utf8))
        #expect(doc.kind == .text && doc.encoding == "UTF-8")
    }

    @Test func windows1252IsDetectedFromItsPunctuation() throws {
        var bytes = Array("We don".utf8) + [0x92] + Array("t accept slavery ".utf8) + [0x96] + Array(" ever.".utf8)
        bytes += Array(" Trafficking too.".utf8)
        let doc = try reader.read(Data(bytes))
        #expect(doc.encoding == "Windows-1252")
        #expect(doc.text.contains("don’t") && doc.text.contains("–"))
    }

    @Test func latin1IsTheFallback() throws {
        let bytes = Array("Caf".utf8) + [0xE9] + Array(" modern slavery statement".utf8)
        let doc = try reader.read(Data(bytes))
        #expect(doc.encoding == "Latin-1")
        #expect(doc.text.hasPrefix("Café"))
    }

    @Test func emptyAndBlankFilesAreRefused() {
        #expect(throws: ReadProblem.empty) { try reader.read(Data()) }
        #expect(throws: ReadProblem.empty) { try reader.read(Data("  \n\t ".utf8)) }
    }

    @Test func oversizedFilesAreRefused() {
        let small = DocumentReader(maxBytes: 100)
        #expect(throws: ReadProblem.tooLarge(bytes: 200, limit: 100)) { try small.read(Data(repeating: 65, count: 200)) }
    }

    @Test func documentsThatAreNotStatementsAreRefused() {
        #expect(throws: ReadProblem.notAStatement) {
            try reader.read(Data("<html><body><p>Bin collection days for your street.</p></body></html>".utf8))
        }
    }

    @Test func htmlLosesScriptsStylesNavigationAndFooters() throws {
        let html = """
        <!DOCTYPE html><html><head><style>p{color:red}</style><script>var slaveryTracker=1;</script></head>
        <body><nav><a href="/">Home</a> Menu item</nav><header>Site header</header>
        <main><h1>Modern slavery statement</h1><p>We assess suppliers &amp; audit them.</p></main>
        <footer>Cookie policy and copyright</footer></body></html>
        """
        let doc = try reader.read(Data(html.utf8))
        #expect(doc.kind == .html)
        #expect(doc.text.contains("We assess suppliers & audit them."))
        for gone in ["color:red", "slaveryTracker", "Menu item", "Site header", "Cookie policy"] {
            #expect(!doc.text.contains(gone), "\(gone)")
        }
    }

    /// From fuzzing (`scripts/fuzz docx`): a document part cut off inside a tag leaves no
    /// fragment of the tag in the text; escaped angle brackets in the text stay.
    @Test func aWordPartCutOffInsideATagLeavesNoTagInTheText() {
        let cut = #"<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Pay &lt;minimum&gt; wage</w:t></w:r></w:p><w:docummel"#
        let text = DOCXText.text(fromDocumentXML: cut)
        #expect(!text.contains("<w:"))
        #expect(text.contains("Pay <minimum> wage"))
    }

    @Test func typeIsSniffedFromContentNotName() {
        #expect(DocumentReader.sniff(Fixtures.pdf(pages: [["x"]])) == .pdf)
        #expect(DocumentReader.sniff(Data("<!doctype html><p>x".utf8)) == .html)
        #expect(DocumentReader.sniff(Data([0xD0, 0xCF, 0x11, 0xE0, 0, 0])) == nil)
    }

    @Test func legacyWordFilesAreRefusedWithTheReason() {
        #expect(throws: ReadProblem.unsupportedType("Old Word (.doc)")) { try reader.read(Data([0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3, 4])) }
    }

    @Test func pdfTextIsExtractedWithHyphenationRepaired() throws {
        let doc = try reader.read(Fixtures.pdf(pages: [Fixtures.statementLines]))
        #expect(doc.kind == .pdf && !doc.usedOCR)
        let sentences = SentenceSplitter.split(doc.text)
        #expect(sentences.contains { $0.contains("slavery and human trafficking in its business") })
    }

    @Test func headersAndFootersRepeatedOnEveryPageAreDropped() throws {
        let topics = ["suppliers", "contracts", "agencies", "sites"]
        let pages = (1...4).map { n in ["Example Homes Modern Slavery Statement", "Page \(n) of 4", "This page says we audit our \(topics[n - 1]) for slavery risks."] }
        let sentences = SentenceSplitter.split(try reader.read(Fixtures.pdf(pages: pages)).text)
        #expect(sentences.count == 4)
        #expect(!sentences.contains { $0.contains("Page ") })
        #expect(!sentences.contains { $0.hasPrefix("Example Homes Modern Slavery Statement") })
    }

    @Test func corruptPDFsAreRefused() {
        #expect(throws: ReadProblem.self) { try reader.read(Data("%PDF-1.4\nthis is not really a pdf at all".utf8)) }
        do {
            _ = try reader.read(Data("%PDF-1.4\nthis is not really a pdf at all".utf8))
        } catch let problem as ReadProblem {
            if case .corruptPDF = problem {} else if case .scannedPDF = problem {} else { Issue.record("\(problem)") }
        } catch { Issue.record("\(error)") }
    }

    @Test func encryptedPDFsAreRefused() {
        #expect(throws: ReadProblem.encryptedPDF) { try reader.read(Fixtures.pdf(pages: [Fixtures.statementLines], encrypted: true)) }
    }

    @Test func pdfsWithoutATextLayerNeedOCR() {
        let tesseract = ExternalTool.find("tesseract") != nil
        #expect(throws: ReadProblem.scannedPDF(ocrAvailable: tesseract)) { try reader.read(Fixtures.pdf(pages: [[]])) }
    }

    @Test func docxParagraphsAreRead() throws {
        let doc = try reader.read(try Fixtures.docx(paragraphs: ["Modern Slavery Statement", "We train staff & suppliers on slavery risks."]))
        #expect(doc.kind == .docx)
        #expect(doc.text.contains("We train staff & suppliers on slavery risks."))
        #expect(throws: ReadProblem.corruptDOCX) { try reader.read(Data([0x50, 0x4B, 0x03, 0x04, 9, 9, 9, 9])) }
    }

    @Test func aDocxThatInflatesFarBeyondItsSizeIsRefused() throws {
        // 30 MB of spaces compress to about 30 KB: a thousand to one, as a zip bomb does.
        let bomb = try Fixtures.docx(paragraphs: ["Modern slavery statement", String(repeating: " ", count: 30_000_000)])
        #expect(bomb.count < 200_000)
        let limit = DOCXText.inflatedLimit(compressedSize: bomb.count)
        #expect(throws: ReadProblem.tooLargeUnpacked(limit: limit)) { try reader.read(bomb) }
        #expect(ReadProblem.tooLargeUnpacked(limit: limit).description.hasPrefix("this document is too large once unpacked"))
        #expect(DOCXText.inflatedLimit(compressedSize: 10_000) == 2 * 1_048_576, "a small file may still inflate to 2 MB")
        #expect(DOCXText.inflatedLimit(compressedSize: 5_000_000) == 20 * 1_048_576, "never more than 20 MB")
    }

    @Test func aToolsOutputIsCutOffAtItsCapWithoutHoldingIt() throws {
        // `yes` writes for ever: the cap stops it, and the output is not kept.
        #expect(throws: ReadProblem.tooLargeUnpacked(limit: 1_000_000)) {
            try ExternalTool(timeout: 20).run("/usr/bin/yes", ["Modern slavery statement"], maxOutput: 1_000_000)
        }
        let small = try ExternalTool(timeout: 20).run("/usr/bin/printf", ["%s", "statement"], maxOutput: 100)
        #expect(String(decoding: small.stdout, as: UTF8.self) == "statement")
    }

    @Test func pdfinfoPageCountsAreRead() {
        let info = ExternalTool.Result(status: 0, stdout: Data("Title: x\nPages:          812\nEncrypted: no\n".utf8), stderr: "")
        #expect(PDFText.pageCount(info) == 812)
        #expect(PDFText.pageCount(ExternalTool.Result(status: 1, stdout: Data(), stderr: "bad")) == nil)
        #expect(ReadProblem.tooManyPages(pages: 812, limit: 500).description == "the PDF has 812 pages; statements longer than 500 pages are not read")
    }

    @Test func aPDFWithTooManyPagesIsRefusedBeforeItsTextIsRead() throws {
        let pages = (0...PDFText.maxPages).map { ["Modern slavery statement page \($0)"] }
        #expect(throws: ReadProblem.tooManyPages(pages: PDFText.maxPages + 1, limit: PDFText.maxPages)) { try reader.read(Fixtures.pdf(pages: pages)) }
    }

    @Test func theSeedStatementsAreRead() throws {
        for prefix in ["000", "001", "003"] {
            let doc = try reader.read(try Fixtures.seed(prefix))
            #expect(SentenceSplitter.split(doc.text).count > 30, "\(prefix)")
        }
    }

    @Test func onlyPublicAddressesMayBeFetched() {
        for address in ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254",
                        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.7", "::1", "::", "fe80::1", "fd00::1",
                        "fc12::3", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
                        "2001:db8::1", "not an address"] {
            #expect(!PublicAddress.isPublic(address), "\(address)")
        }
        for address in ["8.8.8.8", "81.2.69.142", "172.32.0.1", "100.128.0.1", "2a00:1450:4009:81f::200e", "::ffff:81.2.69.142"] {
            #expect(PublicAddress.isPublic(address), "\(address)")
        }
        #expect(PublicAddress.resolve("127.0.0.1") == ["127.0.0.1"])
        #expect(PublicAddress.resolve("2130706433") == ["127.0.0.1"], "a decimal address is still loopback")
    }

    @Test func aNameGivingAnyNonPublicAddressIsRefusedWithOneMessage() async throws {
        let fetcher = StatementFetcher()
        for address in ["http://localhost:9/x", "http://127.0.0.1:9/x", "http://[::1]:9/", "http://169.254.169.254/latest/meta-data/"] {
            await #expect(throws: StatementFetcher.unreachable(address)) { try await fetcher.fetch(address) }
        }
        #expect(throws: StatementFetcher.unreachable("x")) { try StatementFetcher(allowedAddresses: ["10.0.0.1"]).checkedAddress(for: "localhost", original: "x") }
        #expect(try StatementFetcher(allowedAddresses: ["127.0.0.1"]).checkedAddress(for: "127.0.0.1", original: "x") == "127.0.0.1")
        let configured = StatementFetcher.configured(["LANTERN_FETCH_ALLOW_ADDRESSES": "10.0.0.5, 127.0.0.1", "LANTERN_FETCH_PROXY": "http://proxy.council.internal:8080"])
        #expect(configured.allowedAddresses == ["10.0.0.5", "127.0.0.1"])
        #expect(configured.proxy == StatementFetcher.Proxy(host: "proxy.council.internal", port: 8080))
    }

    @Test func badURLsAreRefusedBeforeAnyRequest() async {
        await #expect(throws: ReadProblem.badURL("ftp://example.org/x.pdf")) { try await StatementFetcher().fetch("ftp://example.org/x.pdf") }
    }

    @Test func toolsThatParseDocumentsSeeNoneOfLanternsEnvironment() throws {
        setenv("LANTERN_DATA_KEY", "not-for-pdftotext", 1)
        defer { unsetenv("LANTERN_DATA_KEY") }
        let env = try ExternalTool(timeout: 10).run("/usr/bin/env", [])
        let names = String(decoding: env.stdout, as: UTF8.self).split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) }
        #expect(Set(names).isSubset(of: ["PATH", "LANG", "HOME", "TESSDATA_PREFIX"]), "\(names)")
        #expect(!names.contains("LANTERN_DATA_KEY"))
    }
}
