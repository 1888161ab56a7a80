import Fluent
import SQLKit
import LanternCore
import Foundation
import Vapor

/// Work done on a timer while serving: clearing sessions that can no longer be used, forms
/// kept for someone signed out that have run out of time, one-use form tokens older than a
/// day, sign-in failures older than the throttle window, import files left unconfirmed for a
/// day, evidence staged by an upload that never finished, limit counters past their window,
/// and once a day the retention purge (as a job) and a record
/// of the audit log's head.
enum Housekeeping {
    static func schedule(on app: Application) {
        let eventLoop = app.eventLoopGroup.next()
        let seconds = Int64(app.lantern.configuration.housekeepingInterval)
        eventLoop.scheduleRepeatedAsyncTask(initialDelay: .seconds(min(5, seconds)), delay: .seconds(seconds)) { _ in
            eventLoop.makeFutureWithTask {
                try await runOnce(app)
            }
        }
    }

    @discardableResult
    static func runOnce(_ app: Application) async throws -> (sessions: Int, failures: Int) {
        let services = app.lantern
        let now = services.now()
        let sessions = try await DatabaseSessionDriver.purgeExpired(on: app.db, lifetime: services.configuration.sessionLifetime, now: now)
        let cutoff = services.configuration.signInThrottle.windowStart(now: now)
        let failures = try await SignInFailure.query(on: app.db).filter(\.$at < cutoff).count()
        try await SignInFailure.query(on: app.db).filter(\.$at < cutoff).delete()
        try await SharedLimits.deleteExpired(on: app.db, now: now)
        try await KeptForm.deleteExpired(on: app.db, now: now)
        try await FormSubmission.deleteExpired(on: app.db, now: now)
        try await APICallCounter.forget(before: now, on: app.db)
        try await JobQueue.tidy(on: app.db, now: now)
        try await Mailbox.deleteOldSent(on: app.db, now: now)
        // An uploaded file that was never confirmed is not kept: suppliers' contacts may be in it.
        let stale = try await ImportBatch.query(on: app.db).filter(\.$status == .pending).filter(\.$createdAt < now.addingTimeInterval(-86_400)).count()
        try await ImportBatch.query(on: app.db).filter(\.$status == .pending).filter(\.$createdAt < now.addingTimeInterval(-86_400))
            .set(\.$status, to: .expired).set(\.$data, to: nil).set(\.$preview, to: nil).update()
        // Files staged by an upload whose instance stopped before the form was answered.
        try await app.db.writeTransaction { db in
            try await EvidenceFile.query(on: db).filter(\.$ownerType == .staged).filter(\.$uploadedAt < now.addingTimeInterval(-3_600)).delete()
        }
        // The day's scheduled work (the retention purge) is queued once across all instances,
        // from the quiet hour after 2 a.m. UK time: a restart in working hours does not set a
        // second full pass over the tables against users' pages.
        try await DailySchedule.queueIfDue(app, now: now)
        // The audit log's head, once a day, outside the database (a log line and the heads file).
        try await AuditHeads.recordIfDue(app)
        if sessions + failures + stale > 0 {
            app.logger.info("housekeeping", metadata: ["expired_sessions": "\(sessions)", "old_sign_in_failures": "\(failures)", "expired_imports": "\(stale)"])
        }
        return (sessions, failures)
    }
}
