import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Check a statement page")
struct StatementsPageTests {
    static func seed(_ prefix: String) throws -> Data {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/seeds").standardized
        let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(prefix) }!
        return try Data(contentsOf: dir.appendingPathComponent(name))
    }

    @Test(arguments: TestDatabase.available)
    func aProcurementOfficerChecksAStatementAndSeesTheEvidence(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            try await browser.get("/statements")
            let response = try await browser.postFile("/statements/check", fields: ["url": ""], fileField: "file",
                                                      filename: "leicestershire-2018-19.txt", contents: try Self.seed("001"))
            #expect(response.status == .seeOther)
            let location = try #require(response.location)
            let page = try await browser.get(location).body.string
            #expect(page.contains("Leicestershire County Council"))
            #expect(page.contains("Cabinet"))
            #expect(page.contains("<mark class=\"evidence__sentence\">This statement has been approved by Cabinet.</mark>"))
            #expect(page.contains("tag--met"))
            let record = try await env.record(StatementCheckRecord.self, at: location)
            #expect(record.source == "leicestershire-2018-19.txt" && record.metCount >= 7)
            #expect(try await AuditEntry.query(on: env.db).filter(\.$entityType == "StatementCheck").count() == 1)
            #expect(try await browser.get("/statements").body.string.contains("leicestershire-2018-19.txt"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStatementCanBePastedAndTheHeaderAndRowsGiveOneAnswer(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            let form = try await browser.get("/statements").body.string
            #expect(form.contains("<label class=\"label\" for=\"text\">Or paste the statement's text</label>"))
            let text = String(decoding: try Self.seed("001"), as: UTF8.self)
            let both = try await browser.postFile("/statements/check", fields: ["url": "https://example.org/s.pdf", "text": "We <b>audit</b> suppliers."],
                                                  fileField: "file", filename: "", contents: Data())
            #expect(both.status == .unprocessableEntity && both.body.string.contains("Give the statement one way"))
            #expect(both.body.string.contains("We &lt;b&gt;audit&lt;/b&gt; suppliers.</textarea>"), "what was pasted stays, escaped")
            let pasted = try await browser.postFile("/statements/check", fields: ["url": "", "text": text], fileField: "file", filename: "", contents: Data())
            #expect(pasted.status == .seeOther)
            let page = try await browser.get(try #require(pasted.location)).body.string
            #expect(page.contains("Pasted text"))
            // The period the header gives, and where it came from; the row agrees, with its age as a note.
            #expect(page.contains("1st April 2018 to 31st March 2019 (stated: \u{201C}This statement relates to actions"))
            #expect(page.contains("a newer statement is due"))
        }
    }

    /// A .docx whose document part inflates to `inflatedMiB` of zeros, a thousand to one.
    static func zipBomb(inflatedMiB: Int) throws -> Data {
        let path = NSTemporaryDirectory() + "bomb-\(UUID().uuidString).docx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", compression=zipfile.ZIP_DEFLATED) as z:
                with z.open("word/document.xml", "w", force_zip64=True) as part:
                    for _ in range(int(sys.argv[2])): part.write(bytes(1 << 20))
            """, path, String(inflatedMiB)]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test(arguments: TestDatabase.available)
    func badInputIsRefusedWithTheReasonAndKeepsWhatWasTyped(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .contractManager)
            try await browser.get("/statements")
            let notStatement = try await browser.postFile("/statements/check", fields: ["url": ""], fileField: "file",
                                                          filename: "<b>menu</b>.txt", contents: Data("Lunch menu: soup, bread.".utf8))
            #expect(notStatement.status == .unprocessableEntity)
            #expect(notStatement.body.string.contains("does not look like a modern slavery statement"))
            let badURL = try await browser.postFile("/statements/check", fields: ["url": "ftp://example.org/s.pdf"], fileField: "file",
                                                    filename: "", contents: Data())
            #expect(badURL.body.string.contains("Enter an address starting with http:// or https://"))
            #expect(badURL.body.string.contains("value=\"ftp://example.org/s.pdf\""))
            // Addresses inside the network are never fetched, and every failure reads the same.
            for inside in ["http://127.0.0.1:9/statement.pdf", "http://169.254.169.254/latest/meta-data/"] {
                let refused = try await browser.postFile("/statements/check", fields: ["url": inside], fileField: "file", filename: "", contents: Data())
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("no public web server answered at that address"), "\(inside)")
            }
            let nothing = try await browser.postFile("/statements/check", fields: ["url": ""], fileField: "file", filename: "", contents: Data())
            #expect(nothing.body.string.contains("Choose a statement file to upload"))
            let bomb = try await browser.postFile("/statements/check", fields: ["url": ""], fileField: "file",
                                                  filename: "statement.docx", contents: try Self.zipBomb(inflatedMiB: 64))
            #expect(bomb.status == .unprocessableEntity)
            #expect(bomb.body.string.contains("this document is too large once unpacked"))
            #expect(try await StatementCheckRecord.query(on: env.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func auditorsReadChecksButCannotRunThem(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            try await officer.get("/statements")
            let made = try await officer.postFile("/statements/check", fields: ["url": ""], fileField: "file",
                                                  filename: "<script>x</script>.txt", contents: try Self.seed("000"))
            let auditor = try env.browser()
            try await auditor.signIn(as: .auditor)
            let list = try await auditor.get("/statements")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("&lt;script&gt;x&lt;/script&gt;.txt"))
            #expect(!list.body.string.contains("<script>x"))
            #expect(!list.body.string.contains("action=\"/statements/check\""))
            #expect(try await auditor.get(made.location!).status == .ok)
            let refused = try await auditor.postFile("/statements/check", fields: ["url": ""], fileField: "file", filename: "a.txt", contents: try Self.seed("000"))
            #expect(refused.status == .forbidden)
        }
    }
}
