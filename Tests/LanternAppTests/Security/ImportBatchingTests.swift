import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// Long imports never hold the database, and stay all or nothing (issue 17, item 9).
@Suite("Import batches")
struct ImportBatchingTests {
    @Test(arguments: TestDatabase.available)
    func aFileOverTheRowLimitIsRefusedWithTheLimitNamed(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            var csv = "name\n"
            for i in 0...CSVFile.maxRows { csv += "Supplier \(i)\n" }
            let before = try await Supplier.query(on: env.db).count()
            await #expect { _ = try await Administration.importCSV(on: env.app, kind: .suppliers, data: Data(csv.utf8), filename: "all.csv", mergeDuplicates: false) } throws: {
                "\($0)".contains("the file has 100,001 rows; one import takes at most 100,000")
            }
            #expect(try await Supplier.query(on: env.db).count() == before)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConfirmedImportWhoseAuditRowCannotBeWrittenIsUndone(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            let before = try await Supplier.query(on: env.db).count()
            let uploaded = try await ImportPageTests.upload(env, browser, "suppliers", "new.csv", Data("name,company_number\nAudit Test One Ltd,\nAudit Test Two Ltd,\n".utf8))
            let batchPath = try #require(uploaded.location)
            try await ReportAuditTests.auditRefuses(env, when: "NEW.action = 'import'")
            try await browser.get(batchPath)
            let page = try await ImportPageTests.confirm(browser, env, batchPath)
            #expect(page.contains("It did not finish"))
            #expect(try await Supplier.query(on: env.db).count() == before, "suppliers were kept without the import's audit row")
            let batch = try await env.record(ImportBatch.self, at: batchPath)
            #expect(batch.status == .pending)
        }
    }

    @Test(arguments: TestDatabase.available)
    func rowsGoInShortTransactionsAndAFailureUndoesTheEarlierOnes(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let batch = UUID()
            let before = try await Supplier.query(on: env.db).count()
            let now = env.clock.now()
            func row(_ id: UUID, _ i: Int) -> [any Encodable & Sendable] {
                [id, "Batch supplier \(i)", "batch supplier \(i)", String?.none, "", "", "", String?.none, String?.none, batch, now, now]
            }
            // Three transactions of 4 rows; the third repeats an id from the first, so it fails.
            var rows = (0..<10).map { row(UUID(), $0) }
            rows.append(row(rows[0][0] as! UUID, 99))
            await #expect(throws: (any Error).self) {
                try await BulkInsert.inBatches(on: env.db, into: Supplier.schema, columns: SupplierImporter.columns, rows: rows, rowsPerTransaction: 4,
                                               undo: { db in try await Supplier.query(on: db).filter(\.$importBatchID == batch).delete() })
            }
            #expect(try await Supplier.query(on: env.db).count() == before, "the earlier transactions were undone")

            let good = (0..<10).map { row(UUID(), $0) }
            try await BulkInsert.inBatches(on: env.db, into: Supplier.schema, columns: SupplierImporter.columns, rows: good, rowsPerTransaction: 4,
                                           undo: { _ in })
            #expect(try await Supplier.query(on: env.db).count() == before + 10)
        }
    }
}
