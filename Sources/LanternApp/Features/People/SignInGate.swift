import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Decides whether a sign-in attempt may be evaluated, atomically: the check and the count are
/// one step under a lock on the account, so however many guesses arrive at once, no more are
/// evaluated than the throttle allows (`shared/docs/domain/security.md` §1 and §5).
///
/// Two throttles apply. Per account and client address: a few free attempts, then a doubling
/// wait. Per account from anywhere: a much higher ceiling that only slows (a minute at most), so
/// someone who knows a safeguarding lead's address cannot lock them out. Failures are stored
/// under keyed HMACs, never a bare digest of an address anyone could compute.
struct SignInGate {
    let email: String
    let address: String
    let keys: LookupKeys

    var pairKey: String { keys.blindIndex("pair|" + email + "|" + address, purpose: "sign-in-throttle") }
    var accountKey: String { keys.blindIndex("account|" + email, purpose: "sign-in-throttle") }

    enum Decision: Equatable {
        /// Go ahead; the attempt is already counted as a failure, and forgiven on success.
        case evaluate(reserved: [UUID])
        case wait(until: Date)
    }

    func admit(on db: any Database, pair: SignInThrottle, account: SignInThrottle, now: Date) async throws -> Decision {
        let pairKey = pairKey, accountKey = accountKey
        return try await db.writeTransaction { db in
            try await db.lockUntilCommit(accountKey)
            func failures(_ key: String, _ throttle: SignInThrottle) async throws -> [Date] {
                try await SignInFailure.query(on: db).filter(\.$keyDigest == key).filter(\.$at > throttle.windowStart(now: now)).all().map(\.at)
            }
            let waits = [pair.nextAllowedAttempt(failures: try await failures(pairKey, pair), now: now),
                         account.nextAllowedAttempt(failures: try await failures(accountKey, account), now: now)].compactMap { $0 }
            if let until = waits.max() { return .wait(until: until) }
            var reserved: [UUID] = []
            for key in [pairKey, accountKey] {
                let row = SignInFailure(keyDigest: key, at: now)
                try await row.create(on: db)
                reserved.append(row.id!)
            }
            return .evaluate(reserved: reserved)
        }
    }

    /// A right password: this attempt and this address's earlier failures are forgiven; the
    /// account's failures from elsewhere stay until they age out.
    func succeeded(reserved: [UUID], on db: any Database) async throws {
        try await SignInFailure.query(on: db).filter(\.$id ~~ reserved).delete()
        try await SignInFailure.query(on: db).filter(\.$keyDigest == pairKey).delete()
    }

    /// Counts a failure against a known account, to tell its holder at their next sign-in.
    static func recordFailure(of userID: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update(User.schema)
            .set(SQLIdentifier("failed_sign_ins"), to: SQLRaw("COALESCE(failed_sign_ins, 0) + 1"))
            .where(SQLIdentifier("id"), .equal, SQLBind(userID))
            .run()
    }
}

struct AddFailedSignIns: AsyncMigration {
    var name: String { "2026-12-06-add-failed-sign-ins" }

    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("failed_sign_ins", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("failed_sign_ins").update()
    }
}
