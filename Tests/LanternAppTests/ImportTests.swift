import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("CSV import of suppliers and contracts")
struct ImportPageTests {
    /// Uploads a file, and runs the job that reads it, so its preview is ready at the answer's location.
    static func upload(_ env: TestEnvironment, _ browser: Browser, _ kind: String, _ name: String, _ contents: Data) async throws -> TestingHTTPResponse {
        try await browser.get("/\(kind)/import")
        let response = try await browser.postFile("/\(kind)/import", fields: [:], fileField: "file", filename: name, contents: contents)
        try await env.runJobs()
        return response
    }

    /// Confirms a previewed import, runs the job it queues, and returns the job's page.
    static func confirm(_ browser: Browser, _ env: TestEnvironment, _ batchPath: String, _ form: [String: String] = [:],
                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let queued = try await browser.post(batchPath + "/confirm", form)
        #expect(queued.status == .seeOther, sourceLocation: sourceLocation)
        let jobPath = try #require(queued.location, sourceLocation: sourceLocation)
        #expect(jobPath.hasPrefix("/jobs/"), sourceLocation: sourceLocation)
        try await env.runJobs()
        return try await browser.get(jobPath).body.string
    }

    @Test(arguments: TestDatabase.available)
    func badRowsAreListedByLineAndNothingIsImported(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            let before = try await Supplier.query(on: env.db).count()
            let uploaded = try await Self.upload(env, browser, "suppliers", "suppliers.csv", Data("""
                name,company_number,sector
                Fine Ltd,11111111,Construction
                ,22222222,
                <b>Bold</b> Ltd,33333333,Astrology
                """.utf8))
            #expect(uploaded.status == .seeOther)
            let preview = try await browser.get(try #require(uploaded.location)).body.string
            #expect(preview.contains("Rows that cannot be imported: 2. Nothing will be imported"))
            #expect(preview.contains("Line 3: name is empty"))
            #expect(preview.contains("Line 4: sector &#39;Astrology&#39;") || preview.contains("Line 4: sector 'Astrology'"))
            #expect(!preview.contains("/confirm\""))
            let forced = try await Self.confirm(browser, env, uploaded.location!)
            #expect(forced.contains("It did not finish") && forced.contains("nothing was imported"))
            #expect(try await Supplier.query(on: env.db).count() == before)
            let rejected = try await browser.get(uploaded.location! + "/rejected.csv").body.string
            #expect(rejected.hasPrefix("line,reason\r\n3,Line 3: name is empty"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func contractRowsWithUnknownSuppliersBadDatesAndBadNumbersAreRejected(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .contractManager)
            let before = try await Contract.query(on: env.db).count()
            let uploaded = try await Self.upload(env, browser, "contracts", "contracts.csv", Data("""
                title,supplier,value,start_date,end_date
                Window cleaning,04512873,12000,2026-01-01,2026-12-31
                Night security,Nobody Ltd,5000,,
                Grounds,Brightway Facilities Services Ltd,twelve,,
                Laundry,Brightway Facilities Services Ltd,100,2026-13-01,
                """.utf8))
            let preview = try await browser.get(try #require(uploaded.location)).body.string
            #expect(preview.contains("Line 3: no supplier is registered with the name or company number &#39;Nobody Ltd&#39;")
                    || preview.contains("Line 3: no supplier is registered with the name or company number 'Nobody Ltd'"))
            #expect(preview.contains("Line 4: value"))
            #expect(preview.contains("Line 5: start_date"))
            #expect(try await Contract.query(on: env.db).count() == before)
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrongEncodingEmptyFilesSpreadsheetsAndHugeFilesAreRefusedWithTheReason(_ database: TestDatabase) async throws {
        try await withLantern(database, maxBodySize: 1 << 20) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            let before = try await Supplier.query(on: env.db).count()
            var mixed = Array("name\nZoë Ltd\n".utf8)
            mixed += [0x43, 0x61, 0x66, 0xE9, 0x20, 0x4C, 0x74, 0x64, 0x0A]
            let uploaded = try await Self.upload(env, browser, "suppliers", "mixed.csv", Data(mixed))
            let preview = try await browser.get(try #require(uploaded.location)).body.string
            #expect(preview.contains("Line 3 is not UTF-8 text"))
            #expect(preview.contains("Rows that cannot be imported: 1."))

            let empty = try await Self.upload(env, browser, "suppliers", "blank.csv", Data("\n\n".utf8))
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("blank.csv could not be read: the file is empty"))
            let pdf = try await Self.upload(env, browser, "suppliers", "suppliers.pdf", Data("%PDF-1.7\n".utf8))
            #expect(pdf.body.string.contains("is not a CSV file"))

            let huge = Data(repeating: 0x41, count: 50 * 1_048_576)
            let refused = try await Self.upload(env, browser, "suppliers", "huge.csv", huge)
            #expect(refused.status == .payloadTooLarge)
            #expect(refused.body.string.contains("This form accepts up to"))
            #expect(try await Supplier.query(on: env.db).count() == before)
            #expect(try await ImportBatch.query(on: env.db).filter(\.$status == .imported).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCleanFileIsImportedOnConfirmationAndDuplicatesMergeOnlyWhenAsked(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            let csv = Data("""
                name,company_number,sector,country,turnover_band
                Ashby Laundry Ltd,07000001,Cleaning,United Kingdom,under_36m
                BRIGHTWAY FACILITIES SERVICES LIMITED,,Construction,Spain,
                Ashby Laundry Limited,,Textiles,,
                """.utf8)
            let first = try await Self.upload(env, browser, "suppliers", "s.csv", csv)
            let preview = try await browser.get(first.location!).body.string
            #expect(preview.contains("Rows that match records already here"))
            #expect(preview.contains("Import the file (1 new supplier)"))
            #expect(try await Self.confirm(browser, env, first.location!, ["duplicates": "skip"]).contains("Imported s.csv: 1 added"))
            #expect(try await Supplier.query(on: env.db).filter(\.$nameKey == OrganisationName.key("Ashby Laundry Ltd")).count() == 1)
            let brightway = try await SuppliersTests.supplier(named: "Brightway Facilities Services Ltd", in: env)
            #expect(brightway.sectorList == [.cleaningSecurity])
            #expect(try await browser.post(first.location! + "/confirm", [:]).status == .conflict)

            let second = try await Self.upload(env, browser, "suppliers", "s.csv", csv)
            _ = try await Self.confirm(browser, env, second.location!, ["duplicates": "merge"])
            let merged = try await SuppliersTests.supplier(named: "Brightway Facilities Services Ltd", in: env)
            #expect(merged.sectorList == [.cleaningSecurity, .construction])
            #expect(merged.operationCountries == ["United Kingdom", "Spain"])
            let ashby = try await SuppliersTests.supplier(named: "Ashby Laundry Ltd", in: env)
            #expect(ashby.sectorList == [.cleaningSecurity, .textiles])
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "import").count() == 2)

            let contracts = try await Self.upload(env, browser, "contracts", "c.csv", Data("title,supplier,value,business_critical\nLinen hire,07000001,\"£30,000\",yes\n".utf8))
            _ = try await Self.confirm(browser, env, contracts.location!)
            let linen = try #require(try await Contract.query(on: env.db).filter(\.$title == "Linen hire").first())
            #expect(linen.statementRequired && linen.businessCritical && linen.needsReview && linen.nextReviewDate != nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anUnconfirmedFileIsNotKeptBeyondADay(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            let uploaded = try await Self.upload(env, browser, "suppliers", "later.csv", Data("name\nLater Ltd\n".utf8))
            env.clock.advance(by: 25 * 3600)
            try await Housekeeping.runOnce(env.app)
            let batch = try await env.record(ImportBatch.self, at: uploaded.location)
            #expect(batch.status == .expired && batch.data == nil && batch.preview == nil)
            try await browser.signIn(as: .procurementOfficer)  // the session itself ended long ago
            #expect(try await browser.get(uploaded.location!).body.string.contains("This file was expired."))
            #expect(try await browser.post(uploaded.location! + "/confirm", [:]).status == .conflict)
        }
    }
}
