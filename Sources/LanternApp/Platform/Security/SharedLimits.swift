import Fluent
import Foundation
import LanternCore
import SQLKit

/// One counted event behind a limit that every instance shares: an accepted report, a file on a
/// report, a receipt code that did not match, a spent proof of work. Rows expire and housekeeping
/// deletes them.
///
/// A client's address is never stored: the key is a keyed HMAC of it under a secret held
/// outside the database, and the row is gone within the hour (or a day, for failed codes).
/// `shared/docs/domain/security.md` §1 keeps addresses in memory only; with several instances
/// the count must be shared, so what is shared is a digest nobody can reverse without the key.
final class LimitEvent: Model, @unchecked Sendable {
    static let schema = "limit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "bucket") var bucket: String
    @Field(key: "key_digest") var keyDigest: String
    @Field(key: "at") var at: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
    init(bucket: String, keyDigest: String, at: Date, expiresAt: Date) {
        self.bucket = bucket
        self.keyDigest = keyDigest
        self.at = at
        self.expiresAt = expiresAt
    }
}

struct CreateLimitEvents: AsyncMigration {
    var name: String { "2026-12-06-create-limit-events" }

    func prepare(on database: any Database) async throws {
        try await database.schema(LimitEvent.schema)
            .id()
            .field("bucket", .string, .required)
            .field("key_digest", .string, .required)
            .field("at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "limit_events_key_idx").on(LimitEvent.schema).column("bucket").column("key_digest").column("at").run()
        try await sql.create(index: "limit_events_expiry_idx").on(LimitEvent.schema).column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LimitEvent.schema).delete()
    }
}

/// A number of events allowed per key in a sliding window.
struct SharedLimit: Sendable {
    let bucket: String
    let limit: Int
    let window: TimeInterval
}

/// Limits, delays and spent tokens kept in the database, so that a request may land on any
/// instance and a restart forgets nothing. Each check and its count are one step: a write
/// transaction under a lock on the key, so concurrent requests cannot all slip under a limit.
enum SharedLimits {
    /// Records one event against every limit, or none if any is full. Returns whether they were taken.
    static func take(_ limits: [(SharedLimit, key: String)], on db: any Database, now: Date) async throws -> Bool {
        try await db.writeTransaction { db in
            for (limit, key) in limits.sorted(by: { ($0.0.bucket, $0.key) < ($1.0.bucket, $1.key) }) {
                try await db.lockUntilCommit("limit|\(limit.bucket)|\(key)")
            }
            for (limit, key) in limits where try await count(limit, key, on: db, now: now) >= limit.limit {
                return false
            }
            for (limit, key) in limits {
                try await LimitEvent(bucket: limit.bucket, keyDigest: key, at: now, expiresAt: now.addingTimeInterval(limit.window)).create(on: db)
            }
            return true
        }
    }

    /// Seconds until `key` may have another event under `limit` (0 when it may now).
    /// The window is full while it holds `limit` events; it has room again once the `limit`-th
    /// most recent leaves it. Only that one row is read, however many the window holds.
    static func retryAfter(_ limit: SharedLimit, key: String, on db: any Database, now: Date) async throws -> Int {
        guard let row = try await (db as! any SQLDatabase).select().column("at").from(LimitEvent.schema)
            .where("bucket", .equal, limit.bucket).where("key_digest", .equal, key)
            .where("at", .greaterThan, now.addingTimeInterval(-limit.window))
            .orderBy("at", .descending).limit(1).offset(limit.limit - 1).first() else { return 0 }
        let leaves = try row.decode(column: "at", as: Date.self).addingTimeInterval(limit.window)
        return max(1, Int(leaves.timeIntervalSince(now).rounded(.up)))
    }

    private static func count(_ limit: SharedLimit, _ key: String, on db: any Database, now: Date) async throws -> Int {
        try await LimitEvent.query(on: db).filter(\.$bucket == limit.bucket).filter(\.$keyDigest == key)
            .filter(\.$at > now.addingTimeInterval(-limit.window)).count()
    }

    private static func events(_ bucket: String, _ key: String, since: Date, on db: any Database) async throws -> [Date] {
        try await LimitEvent.query(on: db).filter(\.$bucket == bucket).filter(\.$keyDigest == key)
            .filter(\.$at > since).sort(\.$at).all().map(\.at)
    }

    // MARK: Growing delays after failures

    /// Whether a try may be made now under `backoff`, after `free` failures that cost no wait;
    /// if so it is counted as a failure at once (forgiven by `succeeded`), so a burst of parallel
    /// guesses gets no more evaluations than the free ones.
    static func admitTry(bucket: String, key: String, backoff: FailureBackoff, free: Int = 0, keepFor: TimeInterval,
                         on db: any Database, now: Date) async throws -> (wait: Int, reserved: UUID?) {
        try await db.writeTransaction { db in
            try await db.lockUntilCommit("limit|\(bucket)|\(key)")
            let failures = try await events(bucket, key, since: now.addingTimeInterval(-keepFor), on: db)
            if let last = failures.last {
                let remaining = backoff.delay(afterFailures: failures.count - free) - now.timeIntervalSince(last)
                if remaining > 0 { return (Int(remaining.rounded(.up)), nil) }
            }
            let row = LimitEvent(bucket: bucket, keyDigest: key, at: now, expiresAt: now.addingTimeInterval(keepFor))
            try await row.create(on: db)
            return (0, row.id)
        }
    }

    /// A try that succeeded: the key's failures are forgiven.
    static func succeeded(bucket: String, key: String, on db: any Database) async throws {
        try await LimitEvent.query(on: db).filter(\.$bucket == bucket).filter(\.$keyDigest == key).delete()
    }

    // MARK: Tokens spent once

    /// True the first time `token` is spent before `expires`; false if it already was.
    static func spend(bucket: String, token: String, until expires: Date, on db: any Database, now: Date) async throws -> Bool {
        try await db.writeTransaction { db in
            try await db.lockUntilCommit("limit|\(bucket)|\(token)")
            let spent = try await LimitEvent.query(on: db).filter(\.$bucket == bucket).filter(\.$keyDigest == token)
                .filter(\.$expiresAt > now).count()
            guard spent == 0 else { return false }
            try await LimitEvent(bucket: bucket, keyDigest: token, at: now, expiresAt: expires).create(on: db)
            return true
        }
    }

    /// Deletes events that no longer count. Returns how many went.
    @discardableResult
    static func deleteExpired(on db: any Database, now: Date) async throws -> Int {
        let expired = LimitEvent.query(on: db).filter(\.$expiresAt <= now)
        let count = try await expired.count()
        if count > 0 { try await LimitEvent.query(on: db).filter(\.$expiresAt <= now).delete() }
        return count
    }
}
