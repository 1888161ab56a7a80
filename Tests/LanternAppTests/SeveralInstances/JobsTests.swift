import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// Long work runs as jobs that any instance may claim, and survives an instance dying
/// (issue 19, item 2).
@Suite("Background jobs")
struct JobsTests {
    static let twelveSuppliers = Data((["name,company_number"] + (1...12).map { "Job Supplier \($0) Ltd,JS\(String(format: "%06d", $0))" })
        .joined(separator: "\n").utf8)

    /// Uploads twelve suppliers and confirms them; returns the batch's path and the queued job.
    static func queueImport(_ env: TestEnvironment, _ browser: Browser) async throws -> (batch: String, job: Job) {
        try await browser.signIn(as: .procurementOfficer)
        let uploaded = try await ImportPageTests.upload(env, browser, "suppliers", "twelve.csv", twelveSuppliers)
        let batchPath = try #require(uploaded.location)
        try await browser.get(batchPath)
        let queued = try await browser.post(batchPath + "/confirm", [:])
        let job = try await env.record(Job.self, at: queued.location)
        return (batchPath, job)
    }

    @Test(arguments: TestDatabase.available)
    func anImportWhoseInstanceDiedIsClaimedAgainAndImportedOnce(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            let before = try await Supplier.query(on: env.db).count()
            let (batchPath, job) = try await Self.queueImport(env, browser)
            #expect(job.status == .queued)
            // An instance claims it, writes some rows, and dies without a word.
            let claimed = try #require(try await JobQueue.claim(instance: "dead", on: env.db, now: env.clock.now()))
            #expect(claimed.id == job.id)
            let batch = try await env.record(ImportBatch.self, at: batchPath)
            let orphan = Supplier(name: "Job Supplier 1 Ltd", companyNumber: "JS000001", sectors: [], countriesOfOperation: [], turnover: nil,
                                  statementURL: nil, nameKey: OrganisationName.key("Job Supplier 1 Ltd"))
            orphan.importBatchID = batch.id
            try await orphan.create(on: env.db)
            // While its heartbeat is fresh nobody else takes it.
            #expect(try await JobQueue.claim(instance: "alive", on: env.db, now: env.clock.now().addingTimeInterval(30)) == nil)
            env.clock.advance(by: JobQueue.staleAfter + 1)
            try await env.runJobs()
            let done = try #require(try await Job.find(job.id, on: env.db))
            #expect(done.status == .done && done.attempts == 2)
            let imported = try await env.record(ImportBatch.self, at: batchPath)
            #expect(imported.status == .imported && imported.data == nil && imported.preview == nil, "the file and its preview go once imported")
            #expect(done.progressDone == 12 && done.progressTotal == 12)
            #expect(try await Supplier.query(on: env.db).count() == before + 12, "each row once, the dead instance's rows replaced")
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "import").count() == 1)
            // The dead instance wakes and tries to carry on: it is told the job is not its own.
            await #expect(throws: JobLost.self) { try await JobQueue.beat(job.id!, instance: "dead", done: 1, total: 12, on: env.db, now: env.clock.now()) }
            // Asking again finds the same job, which has nothing left to do.
            let again = try await JobQueue.enqueue(kind: job.kind, subject: job.subject, uniqueKey: job.uniqueKey, owner: nil, on: env.db, now: env.clock.now())
            #expect(again.id == job.id)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStoppingInstanceHandsTheJobBackAtTheEndOfAStep(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            let before = try await Supplier.query(on: env.db).count()
            let (_, job) = try await Self.queueImport(env, browser)
            let claimed = try #require(try await JobQueue.claim(instance: "stopping", on: env.db, now: env.clock.now()))
            let context = JobContext(app: env.app, job: claimed, instance: "stopping", stopping: { true })
            await #expect(throws: JobInterrupted.self) { _ = try await ImportJob(batchKind: .suppliers).run(context) }
            #expect(try await Supplier.query(on: env.db).count() == before, "the step's rows were undone")
            try await JobQueue.release(job.id!, instance: "stopping", on: env.db)
            let released = try #require(try await Job.find(job.id, on: env.db))
            #expect(released.status == .queued && released.attempts == 0 && released.claimedBy == nil)
            try await env.runJobs()
            #expect(try await Supplier.query(on: env.db).count() == before + 12)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheOwnerSeesTheJobAndItsProgress(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let owner = try env.browser()
            let (_, job) = try await Self.queueImport(env, owner)
            let path = "/jobs/\(job.id!.uuidString)"
            let waiting = try await owner.get(path).body.string
            #expect(waiting.contains("Importing suppliers") && waiting.contains("Waiting to start."))
            #expect(waiting.contains("Refresh this page") && waiting.contains("<progress"))
            try await env.runJobs()
            let json = try await owner.get(path + "/progress", accept: "application/json")
            let progress = try json.content.decode(JobsController.Progress.self)
            #expect(progress.status == "done" && progress.percent == 100 && progress.next == "/suppliers")
            #expect(progress.message.contains("12 added"))

            let other = try env.browser()
            try await other.signIn(as: .administrator)
            #expect(try await other.get(path).status == .notFound)
            #expect(try await other.get(path + "/progress", accept: "application/json").status == .notFound)
            #expect(try await env.browser().get(path).status != .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDailyWorkIsQueuedOnceADayHoweverManyInstancesAsk(_ database: TestDatabase) async throws {
        // 18 November 2026, 01:30 UK time: before the daily hour.
        try await withLantern(database, startingAt: Date(timeIntervalSince1970: 1_794_965_400)) { env in
            #expect(try await DailySchedule.queueIfDue(env.app, now: env.clock.now()) == nil)
            env.clock.advance(by: 3600)
            let now = env.clock.now()
            let queued = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 { group.addTask { try await DailySchedule.queueIfDue(env.app, now: now) != nil } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(queued == 1)
            #expect(try await Job.query(on: env.db).filter(\.$kind == DailyJob.kind).count() == 1)
            try await Housekeeping.runOnce(env.app)
            try await env.runJobs()
            let daily = try #require(try await Job.query(on: env.db).filter(\.$kind == DailyJob.kind).first())
            #expect(daily.status == .done && daily.subject == "2026-11-18")
            #expect(daily.result?.hasPrefix("Retention purge for 2026-11-18") == true)
            // The next day, one more.
            env.clock.advance(by: 86_400)
            try await Housekeeping.runOnce(env.app)
            #expect(try await Job.query(on: env.db).filter(\.$kind == DailyJob.kind).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPurgeAskedForOnTheRetentionPageRunsAsAJobAndShowsWhatItDid(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            try await admin.get("/admin/retention")
            let queued = try await admin.post("/admin/retention/purge", [:])
            let job = try await env.record(Job.self, at: queued.location)
            #expect(job.kind == RetentionPurgeJob.kind && job.status == .queued)
            try await env.runJobs()
            let page = try await admin.get(queued.location!).body.string
            #expect(page.contains("Purge done.") && page.contains("Closed cases (kept 72 months"))
            #expect(page.contains("href=\"/admin/retention\""))
            let audit = try #require(try await AuditEntry.query(on: env.db).filter(\.$entityType == AuditEntity.retentionPurge.rawValue)
                .sort(\.$sequence, .descending).first())
            #expect(audit.actorRole == Role.administrator.rawValue, "the purge is audited as the administrator who asked for it")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLargeExportIsMadeByAJobAndOfferedToItsOwnerForADay(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let many = (["name"] + (1...5_001).map { "Export Supplier \($0) Ltd" }).joined(separator: "\n")
            _ = try await Administration.importCSV(on: env.app, kind: .suppliers, data: Data(many.utf8), filename: "many.csv", mergeDuplicates: false)
            let total = try await Supplier.query(on: env.db).count()
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            let asked = try await officer.get("/suppliers/export.csv")
            #expect(asked.status == .seeOther)
            let jobPath = try #require(asked.location)
            try await env.runJobs()
            let page = try await officer.get(jobPath).body.string
            #expect(page.contains("Download suppliers.csv") && page.contains("\(total.formatted()) rows are ready"))
            let file = try await officer.get(jobPath + "/file", accept: "text/csv")
            #expect(file.status == .ok && file.headers.first(name: .cacheControl) == "no-store")
            let lines = file.body.string.split(separator: "\r\n")
            #expect(lines.count == total + 1 && lines[0].hasPrefix("name,company_number"))
            let audit = try #require(try await AuditEntry.query(on: env.db).filter(\.$action == "export").sort(\.$sequence, .descending).first())
            #expect(audit.actorRole == Role.procurementOfficer.rawValue && audit.detail == "\(total) rows")

            // Only the person who asked sees it; after a day it is gone.
            let manager = try env.browser()
            try await manager.signIn(as: .contractManager)
            #expect(try await manager.get(jobPath + "/file", accept: "text/csv").status == .notFound)
            env.clock.advance(by: 86_400 + 60)
            try await Housekeeping.runOnce(env.app)
            try await officer.signIn(as: .procurementOfficer)
            let gone = try await officer.get(jobPath + "/file", accept: "text/csv")
            #expect(gone.status == .notFound && gone.body.string.contains("kept for a day"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func anUploadedFileIsReadByAJobAndThePageMovesOnToItsPreview(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            try await browser.get("/suppliers/import")
            let uploaded = try await browser.postFile("/suppliers/import", fields: [:], fileField: "file", filename: "twelve.csv", contents: Self.twelveSuppliers)
            let batchPath = try #require(uploaded.location)
            let waiting = try await browser.get(batchPath)
            #expect(waiting.status == .seeOther)
            let jobPath = try #require(waiting.location)
            #expect(jobPath.hasPrefix("/jobs/"))
            let page = try await browser.get(jobPath).body.string
            #expect(page.contains("Checking the file") && page.contains("data-continue=\"auto\""))
            try await env.runJobs()
            let progress = try await browser.get(jobPath + "/progress", accept: "application/json").content.decode(JobsController.Progress.self)
            #expect(progress.message == "12 rows read: 12 new, 0 duplicates, 0 rejected." && progress.next == batchPath)
            let preview = try await browser.get(batchPath)
            #expect(preview.status == .ok && preview.body.string.contains("Import the file (12 new suppliers)"))
            // The preview is kept: the list of rejected rows comes from it, not from reading the file again.
            let batch = try await env.record(ImportBatch.self, at: batchPath)
            #expect(batch.preview != nil)
            #expect(try await browser.get(batchPath + "/rejected.csv", accept: "text/csv").body.string == "line,reason\r\n")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aKeyRotationRunsOnAnInstanceHoldingTheNewKeyWhileTheOthersServe(_ database: TestDatabase) async throws {
        try await withLantern(database, adjusting: SharedStateTests.sharedDatabase) { env in
            let oldKey = env.configuration.dataProtectionKey
            let newKey = try DataProtectionKey(base64: DataProtectionKey.generateBase64())
            // The first instance restarted with the new key (and the old one to read with) queues the rotation.
            let restarted = try await env.secondInstance { $0.dataProtectionKey = newKey; $0.previousDataProtectionKeys = [oldKey] }
            try await KeyRotationJob.queueIfNeeded(restarted)
            try await KeyRotationJob.queueIfNeeded(restarted)
            #expect(try await Job.query(on: env.db).filter(\.$kind == KeyRotationJob.kind).count() == 1)
            // An instance still on the old key leaves it alone, and does not take it again.
            try await env.runJobs()
            let declined = try #require(try await Job.query(on: env.db).filter(\.$kind == KeyRotationJob.kind).first())
            #expect(declined.status == .queued && declined.attempts == 0)
            try await restarted.jobs.drain(restarted)
            let done = try #require(try await Job.find(declined.id, on: env.db))
            #expect(done.status == .done && done.result?.contains("data keys re-wrapped under key \(newKey.id)") == true)
            try await restarted.asyncShutdown()
            // Now an instance with the new key alone opens every record.
            let onlyNew = try await env.secondInstance { $0.dataProtectionKey = newKey; $0.previousDataProtectionKeys = [] }
            let cipher = onlyNew.lantern.cipher
            for table in onlyNew.personalData.wrappedKeyTables {
                let rows = try await (onlyNew.db as! any SQLDatabase).select().column("wrapped_key").from(table).all()
                for row in rows {
                    let wrapped = try WrappedDataKey.parse(try row.decode(column: "wrapped_key", as: Data.self))
                    #expect(wrapped.keyID == cipher.currentKeyID, "\(table) still has a data key under the old key")
                }
            }
            let browser = Browser(tester: try onlyNew.testing())
            try await browser.signIn(as: .safeguardingLead)
            let list = try await browser.get("/cases").body.string
            let casePath = try #require(list.range(of: #"/cases/[0-9A-F-]{36}"#, options: .regularExpression).map { String(list[$0]) })
            #expect(try await browser.get(casePath).status == .ok)
            try await onlyNew.asyncShutdown()
        }
    }
}
