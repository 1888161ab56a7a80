import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Concerns")
struct ConcernsTests {
    static let publicReport: [(String, String)] = [
        ("relationship", "public_named"), ("immediate_danger", "no"), ("subject", "person"), ("who", "A boy called Tomasz Nowak, about 15"),
        ("age", "under_18"), ("child_involved", "yes"), ("location", "Car wash on Mill Lane"), ("postcode", "ab1 2cd"),
        ("description", "He works there every school day and never leaves the site."), ("indicators[]", "child.no_schooling"),
        ("indicators[]", "labour.lives_at_work"), ("anonymous", "yes"),
    ]

    /// Sends an anonymous public report and returns the receipt code shown.
    static func reportAnonymously(_ browser: Browser, _ fields: [(String, String)] = publicReport) async throws -> String {
        try await browser.get("/report")
        let page = try await browser.postPairs("/report", fields).body.string
        // Real text with a visible label, which a screen reader reads out (an aria-label on a <p> is not).
        #expect(page.contains("<span class=\"receipt__label\" id=\"receipt-code-label\">Your 16-digit code:</span>"))
        let start = try #require(page.range(of: "id=\"receipt-code\">"))
        return String(page[start.upperBound...].prefix(19))
    }

    @Test(arguments: TestDatabase.available)
    func aMissingAnswerKeepsWhatWasTypedAndNamesEachProblem(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.get("/report")
            let response = try await browser.postPairs("/report", [
                ("description", "<script>alert(1)</script> men sleeping in the van"), ("postcode", "not a postcode"),
                ("indicators[]", "labour.no_ppe"), ("anonymous", "no"), ("reporter_email", "nobody"),
            ])
            #expect(response.status == .unprocessableEntity)
            let page = response.body.string
            for message in ["Say whether anyone is in danger right now", "Choose what your concern is about",
                            "Tell us where this is happening", "Enter a UK postcode", "Choose who you are",
                            "Enter your name, or choose to stay anonymous", "Enter an email address like name@example.com"] {
                #expect(page.contains(message), "missing: \(message)")
            }
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; men sleeping in the van"))
            #expect(!page.contains("<script>alert(1)"))
            // A form sent without the pages comes back on the check page, every answer kept.
            #expect(page.contains("name=\"indicators[]\" value=\"labour.no_ppe\""))
            #expect(try await Concern.query(on: env.db).filter(\.$receiptHash != nil).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAnonymousReporterGetsACodeReadsTheReplyAndAnswers(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let reporter = try env.browser()
            var code = ""
            let concern = try await env.created(Concern.self) { code = try await Self.reportAnonymously(reporter) }
            #expect(ReceiptCode(typed: code) != nil)
            #expect(concern.routeList == [.childrensSafeguarding])
            #expect(concern.channel == .publicAnonymous)
            #expect(concern.receiptHash != nil && concern.receiptHash != ReceiptCode(typed: code)!.digits)
            #expect(concern.acknowledgeByDay == Day(env.clock.now()).adding(days: 7))
            // The code never reaches the database or the audit log, nor does any address.
            let everything = try await RawDatabase.allText(env)
            #expect(!everything.contains(ReceiptCode(typed: code)!.digits))
            #expect(!everything.contains("127.0.0.1"))
            #expect(!everything.contains("Tomasz"))

            // Leaving and coming back needs the code; wrong codes are refused, and from the third they slow the next try.
            // "Leave" is a button on the messages page, whose form carries the session's token.
            #expect(try await reporter.get("/report/messages").status == .ok)
            #expect(try await reporter.post("/report/leave", [:]).status == .seeOther)
            #expect(try await reporter.get("/report/messages").status == .unauthorized)
            for _ in 0..<3 {
                let wrong = try await reporter.post("/report/follow-up", ["code": "0000-0000-0000-0000"])
                #expect(wrong.body.string.contains("That code does not match a report"))
            }
            let tooSoon = try await reporter.post("/report/follow-up", ["code": code])
            #expect(tooSoon.status == .tooManyRequests)
            env.clock.advance(by: 5)
            #expect(try await reporter.post("/report/follow-up", ["code": code.replacingOccurrences(of: "-", with: " ")]).status == .seeOther)

            // The children's caseworker sees it, acknowledges and replies.
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let list = try await caseworker.get("/concerns").body.string
            #expect(list.contains(concern.reference))
            let path = "/concerns/\(concern.id!.uuidString)"
            let page = try await caseworker.get(path).body.string
            #expect(page.contains("Tomasz Nowak"))
            #expect(page.contains("Not in school"))
            try await caseworker.post(path + "/acknowledge", [:])
            let empty = try await caseworker.post(path + "/messages", ["body": "", "visibility": ""])
            #expect(empty.body.string.contains("Choose who can read the message"))
            try await caseworker.post(path + "/messages", ["body": "Thank you. Can you tell us when he arrives each day?", "visibility": "to_reporter"])
            try await caseworker.post(path + "/messages", ["body": "Check with the school attendance team.", "visibility": "internal"])

            let thread = try await reporter.get("/report/messages").body.string
            #expect(thread.contains("Can you tell us when he arrives each day?"))
            #expect(thread.contains("has been read by the safeguarding team"))
            #expect(!thread.contains("school attendance team"))
            try await reporter.post("/report/messages", ["message": "About 7am, in a white van."])
            let staffView = try await caseworker.get(path).body.string
            #expect(staffView.contains("About 7am, in a white van."))
            let reads = try await AuditEntry.query(on: env.db).filter(\.$entityType == "Concern").filter(\.$action == "read").count()
            #expect(reads >= 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concernsAreOpenOnlyToTheTeamsTheyAreRoutedToAndTheLeads(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let reporter = try env.browser()
            var adult = Self.publicReport.filter { !["age", "child_involved", "indicators[]", "who"].contains($0.0) }
            adult += [("age", "adult"), ("child_involved", "no"), ("who", "Ana Petrova, a cleaner")]
            let concern = try await env.created(Concern.self) { _ = try await Self.reportAnonymously(reporter, adult) }
            #expect(concern.routeList == [.adultSafeguarding])
            let path = "/concerns/\(concern.id!.uuidString)"

            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            #expect(!(try await caseworker.get("/concerns").body.string.contains(concern.reference)))
            #expect(try await caseworker.get(path).status == .forbidden)
            let refusals = try await AuditEntry.query(on: env.db).filter(\.$entityType == "Concern").filter(\.$outcome == "denied").count()
            #expect(refusals == 1)

            for role in [Role.procurementOfficer, .administrator, .auditor, .partnershipAnalyst, .trainingManager, .partner] {
                let other = try env.browser()
                try await other.signIn(as: role)
                #expect(try await other.get(path).status == .forbidden, "\(role)")
            }
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            #expect(try await lead.get(path).body.string.contains("Ana Petrova"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func staffReportsRouteByAgeAndSupplierAndRefuseBadFiles(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .contractManager)
            let form = try await browser.get("/concerns/new").body.string
            #expect(form.contains("call 999 now"))
            let refused = try await browser.postFile("/concerns/new", fields: [
                "immediate_danger": "yes", "subject": "business_or_supplier", "child_involved": "not_sure", "location": "Depot",
                "description": "Drivers say their passports are held by the agency.", "supplier": "Nobody Ltd",
            ], fileField: "files[]", filename: "photo.exe", contents: Data("MZ\u{90}\u{00}binary".utf8))
            let page = refused.body.string
            #expect(page.contains("No supplier on the register has that company number or name"))
            #expect(page.contains("photo.exe: The file must be a photo (JPG or PNG), a PDF or a Word document"))
            #expect(page.contains("Drivers say their passports are held by the agency."))

            let supplier = try #require(try await Supplier.query(on: env.db).sort(\.$name).first())
            var made: TestingHTTPResponse?
            let concern = try await env.created(Concern.self) {
                made = try await browser.postFile("/concerns/new", fields: [
                    "immediate_danger": "no", "subject": "business_or_supplier", "child_involved": "not_sure", "location": "Depot",
                    "description": "Drivers say their passports are held by the agency.", "supplier": supplier.name,
                ], fileField: "files[]", filename: "rota.pdf", contents: Data("%PDF-1.4\nrota".utf8))
            }
            #expect(made?.status == .seeOther)
            #expect(concern.routeList == [.procurement])
            #expect(concern.supplierID == supplier.id)
            #expect(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == concern.id!).count() == 1)
            // The reporter sees only the reference and status.
            let mine = try await browser.get("/concerns/mine").body.string
            #expect(mine.contains(concern.reference))
            #expect(!mine.contains("passports"))

            // Procurement officers handle concerns routed to procurement; the file downloads as an attachment.
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            let view = try await officer.get("/concerns/\(concern.id!.uuidString)").body.string
            #expect(view.contains("passports are held"))
            let fileID = try #require(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == concern.id!).first()?.id)
            let download = try await officer.get("/concerns/\(concern.id!.uuidString)/files/\(fileID.uuidString)")
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment; filename=\"rota.pdf\"") == true)
            #expect(download.body.string == "%PDF-1.4\nrota")
            // The stored bytes are encrypted, in the database.
            let stored = try await EvidenceChunk.query(on: env.db).filter(\.$fileID == fileID).all()
            #expect(stored.count == 1)
            #expect(!String(decoding: stored[0].sealed, as: UTF8.self).contains("rota"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func publicReportsAreRateLimited(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            for _ in 0..<5 { _ = try await Self.reportAnonymously(browser) }
            try await browser.get("/report")
            let sixth = try await browser.postPairs("/report", Self.publicReport)
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.body.string.contains("call 999"))
            env.clock.advance(by: 3601)
            _ = try await Self.reportAnonymously(browser)
            #expect(try await Concern.query(on: env.db).filter(\.$receiptHash != nil).count() == 6)
            let headers = try await browser.get("/report").headers
            #expect(headers.first(name: "Referrer-Policy") == "no-referrer")
            #expect(headers.first(name: .cacheControl) == "no-store")
        }
    }
}

/// Every text and blob value in every table, as one string, to prove what is not stored in clear.
/// Tables by name and rows sorted, so two reads of an unchanged database compare equal:
/// PostgreSQL returns catalogue and heap rows in no fixed order, and under load its planner
/// may change that order between two identical queries.
enum RawDatabase {
    /// Every table of the test's database, by name.
    static func tables(_ env: TestEnvironment) async throws -> [String] {
        if env.database == .sqlite {
            return try await env.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map { try $0.decode(column: "name", as: String.self) }
        }
        return try await env.sql.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name").all()
            .map { try $0.decode(column: "table_name", as: String.self) }
    }

    static func allText(_ env: TestEnvironment, excluding: Set<String> = []) async throws -> String {
        let sql = env.sql
        var text = ""
        for table in try await tables(env) where !excluding.contains(table) {
            var rows: [String] = []
            for row in try await sql.raw("SELECT * FROM \(ident: table)").all() {
                var line = ""
                for column in row.allColumns.sorted() {
                    if let s = try? row.decode(column: column, as: String?.self) { line += (s ?? "") + "\n" }
                    else if let d = try? row.decode(column: column, as: Data?.self) { line += String(decoding: d ?? Data(), as: UTF8.self) + "\n" }
                }
                rows.append(line)
            }
            text += rows.sorted().joined()
        }
        return text
    }
}
