import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Work done once a day across all instances, from the configured hour (UK time): the
/// retention purge, the daily reminder emails, queueing the statements due a check, then a refresh of the planner's statistics. Every instance's housekeeping
/// asks; the first to ask on a day queues the job, under a PostgreSQL advisory lock, and the
/// job's unique key makes a second ask a no-op on either engine.
enum DailySchedule {
    /// Queues the day's work if it is due and not yet queued. Returns the job when this call queued it.
    @discardableResult
    static func queueIfDue(_ app: Application, now: Date) async throws -> Job? {
        let hour = Calendar.ukCivil.component(.hour, from: now)
        guard hour >= app.lantern.configuration.dailyHour else { return nil }
        let day = Day(now).iso, key = DailyJob.uniqueKey(day)
        return try await app.db.writeTransaction { db in
            if !DatabaseSetup.isSQLite(db), let sql = db as? any SQLDatabase {
                let row = try await sql.raw("SELECT pg_try_advisory_xact_lock(hashtextextended(current_schema() || ':daily-schedule', 0)) AS locked").first()
                guard try row?.decode(column: "locked", as: Bool.self) == true else { return nil }
            }
            guard try await Job.query(on: db).filter(\.$uniqueKey == key).count() == 0 else { return nil }
            return try await JobQueue.enqueue(kind: DailyJob.kind, subject: day, uniqueKey: key, owner: nil, on: db, now: now)
        }
    }
}

/// The day's scheduled work, as one job.
struct DailyJob: JobHandler {
    static let kind = "daily"
    var kind: String { Self.kind }
    var title: String { "The daily retention purge and reminder emails" }

    static func uniqueKey(_ day: String) -> String { "daily:\(day)" }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        guard let today = Day(parsing: context.job.subject) else { throw LanternError(.badRequest, "The job names no day.") }
        let app = context.app
        // A purge run twice on one day finds nothing the second time: what went has gone.
        let report = try await RetentionPurge.run(app, today: today, dryRun: false)
        try await context.progress(done: 1, total: 3)
        // Each person's email of what is due: queued once a day, sent by the mail queue.
        let digests = try await DailyDigest.queue(app, today: today)
        // Statements whose yearly check is due are checked by their own job, politely paced.
        let due = try await StatementRegisterJob.suppliers("due", today: today, on: app.db).count
        if due > 0 {
            try await JobQueue.enqueue(kind: StatementRegisterJob.kind, subject: "due", uniqueKey: "statement-register:due:\(today.iso)",
                                       owner: nil, nextPath: "/statements/register", on: app.db, now: app.lantern.now())
        }
        try await context.progress(done: 2, total: 3)
        // SQLite plans the statistics' grouped counts from its table statistics: refresh them as
        // the data grows (PostgreSQL's autovacuum does this itself).
        if DatabaseSetup.isSQLite(app.db), let sql = app.db as? any SQLDatabase { try await sql.raw("PRAGMA optimize").run() }
        if report.total > 0 { app.logger.notice("retention purge", metadata: ["records": "\(report.total)"]) }
        return ("Retention purge for \(today.iso): \(report.total) records. Daily reminder emails queued: \(digests). Statements due a check: \(due).", nil)
    }
}
