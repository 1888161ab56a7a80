import Fluent
import Foundation
import SQLKit

/// The jobs table as a queue that any number of instances share. PostgreSQL hands each job to
/// one claimant with `FOR UPDATE SKIP LOCKED`; SQLite's single writer does the same. A job
/// whose instance stops saying it is alive (its heartbeat) is claimed again.
enum JobQueue {
    /// A running job whose heartbeat is older than this has lost its instance.
    static let staleAfter: TimeInterval = 60
    /// Claims before a job that keeps losing its instance is given up.
    static let maximumAttempts = 3

    /// Asks for work once: a second request with the same `uniqueKey` finds the first job.
    static func enqueue(kind: String, subject: String, options: String? = nil, uniqueKey: String, owner: UUID?,
                        nextPath: String? = nil, on db: any Database, now: Date) async throws -> Job {
        try await db.writeTransaction { db in
            try await db.lockUntilCommit("job|" + uniqueKey)
            if let existing = try await Job.query(on: db).filter(\.$uniqueKey == uniqueKey).first() { return existing }
            let job = Job(kind: kind, subject: subject, options: options, uniqueKey: uniqueKey, ownerID: owner, nextPath: nextPath, at: now)
            try await job.create(on: db)
            return job
        }
    }

    /// The oldest job waiting, or one whose instance died, now claimed by `instance`; never one of
    /// `declined` (jobs this instance cannot run, left for another).
    static func claim(instance: String, declined: Set<UUID> = [], on db: any Database, now: Date) async throws -> Job? {
        let stale = now.addingTimeInterval(-staleAfter)
        if !DatabaseSetup.isSQLite(db), let sql = db as? any SQLDatabase {
            let skip: SQLQueryString = declined.isEmpty ? "" : "AND id NOT IN (\(binds: declined.sorted { $0.uuidString < $1.uuidString }))"
            let rows = try await sql.raw("""
                UPDATE jobs SET status = 'running', claimed_by = \(bind: instance), heartbeat_at = \(bind: now), attempts = attempts + 1
                WHERE id = (SELECT id FROM jobs
                            WHERE (status = 'queued' OR (status = 'running' AND heartbeat_at < \(bind: stale))) \(skip)
                            ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id
                """).all()
            guard let id = try rows.first?.decode(column: "id", as: UUID.self) else { return nil }
            return try await Job.find(id, on: db)
        }
        return try await db.writeTransaction { db in
            let query = Job.query(on: db)
                .group(.or) { either in
                    either.filter(\.$status == .queued)
                    either.group(.and) { $0.filter(\.$status == .running).filter(\.$heartbeatAt < stale) }
                }
            if !declined.isEmpty { query.filter(\.$id !~ Array(declined)) }
            let waiting = try await query.sort(\.$createdAt).sort(\.$id).first()
            guard let job = waiting else { return nil }
            job.status = .running
            job.claimedBy = instance
            job.heartbeatAt = now
            job.attempts += 1
            try await job.save(on: db)
            return job
        }
    }

    /// Records progress and that `instance` is alive. Throws `JobLost` when another instance has
    /// claimed the job meanwhile (this one was presumed dead), so the two never both write.
    static func beat(_ id: UUID, instance: String, done: Int? = nil, total: Int? = nil, on db: any Database, now: Date) async throws {
        try await db.writeTransaction { db in
            guard let job = try await Job.find(id, on: db), job.claimedBy == instance, job.status == .running else { throw JobLost() }
            if let done { job.progressDone = done }
            if let total { job.progressTotal = total }
            job.heartbeatAt = now
            try await job.save(on: db)
        }
    }

    static func finish(_ id: UUID, instance: String, result: String, nextPath: String?, on db: any Database, now: Date) async throws {
        try await settle(id, instance: instance, on: db) { job in
            job.status = .done
            job.result = result
            if let nextPath { job.nextPath = nextPath }
            job.progressDone = max(job.progressDone, job.progressTotal)
            job.finishedAt = now
        }
    }

    static func fail(_ id: UUID, instance: String, error: String, on db: any Database, now: Date) async throws {
        try await settle(id, instance: instance, on: db) { job in
            job.status = .failed
            job.lastError = error
            job.finishedAt = now
        }
    }

    /// Keeps a file the job made, for its owner to download from the job's page.
    static func attach(_ data: Data, name: String, type: String, to id: UUID, instance: String, on db: any Database) async throws {
        try await db.writeTransaction { db in
            guard let job = try await Job.find(id, on: db), job.claimedBy == instance, job.status == .running else { throw JobLost() }
            job.output = data
            job.outputName = name
            job.outputType = type
            try await job.save(on: db)
        }
    }

    /// Files jobs made are kept a day; finished jobs themselves, 90 days.
    static func tidy(on db: any Database, now: Date) async throws {
        try await Job.query(on: db).filter(\.$finishedAt < now.addingTimeInterval(-86_400)).filter(\.$output != nil)
            .set(\.$output, to: nil).update()
        try await Job.query(on: db).filter(\.$finishedAt < now.addingTimeInterval(-90 * 86_400)).delete()
    }

    /// Puts a job back in the queue for another instance (this one is stopping), without
    /// counting the attempt.
    static func release(_ id: UUID, instance: String, on db: any Database) async throws {
        try await settle(id, instance: instance, on: db) { job in
            job.status = .queued
            job.claimedBy = nil
            job.heartbeatAt = nil
            job.attempts = max(0, job.attempts - 1)
        }
    }

    private static func settle(_ id: UUID, instance: String, on db: any Database, _ change: @escaping @Sendable (Job) -> Void) async throws {
        try await db.writeTransaction { db in
            guard let job = try await Job.find(id, on: db), job.claimedBy == instance, job.status == .running else { return }
            change(job)
            try await job.save(on: db)
        }
    }
}

/// Another instance claimed this job while this one was presumed dead.
struct JobLost: Error {}

/// The instance is stopping: the job goes back to the queue at the end of its current step.
struct JobInterrupted: Error {}

/// This instance cannot run the job (it holds another key): it goes back to the queue for
/// another instance, and this one does not claim it again.
struct JobDeclined: Error {}
