import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Sessions kept in the database, so several Lantern instances can serve one organisation.
/// Sessions idle for longer than the idle timeout, or older than the absolute lifetime,
/// are refused. Their rows stay a few hours more, unusable, so that a form sent from a page
/// left open is recognised as its sender's and kept for them (`KeptForm`).
struct DatabaseSessionDriver: SessionDriver {
    static let userKey = "user"

    /// A session is written only once it holds something (a signed-in person, a reporter's
    /// concern, a message): a visitor's page, or a cookie naming no session, writes no row.
    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let token = SecretToken.generate()
        guard !data.snapshot.isEmpty else {
            // The browser keeps naming an expired session until its holder signs in again, so a
            // form sent later from another open page is still recognised as theirs.
            if request.storage[SessionExpiredKey.self] != nil, let old = request.cookies["lantern-session"]?.string {
                return request.eventLoop.makeSucceededFuture(SessionID(string: old))
            }
            return request.eventLoop.makeSucceededFuture(SessionID(string: token))
        }
        let record = StoredSession(idHash: SecretToken.digest(token), data: data,
                                   userID: Self.userID(in: data), now: request.lantern.now())
        return record.create(on: request.db).map { SessionID(string: token) }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let lifetime = request.lantern.configuration.sessionLifetime
        let now = request.lantern.now()
        let sql = request.reads
        let idHash = SecretToken.digest(sessionID.string)
        return request.eventLoop.makeFutureWithTask {
            // The session, its person and their team's name in one statement: every signed-in
            // page starts here.
            guard let row = try await sql.raw(Self.readStatement(bind: idHash)).first() else { return nil }
            let data = try row.decode(column: "data", as: SessionData.self)
            let createdAt = try row.decode(column: "created_at", as: Date.self)
            let lastSeenAt = try row.decode(column: "last_seen_at", as: Date.self)
            let userID = try row.decode(column: "user_id", as: UUID?.self)
            if lifetime.hasExpired(createdAt: createdAt, lastSeenAt: lastSeenAt, now: now) {
                if let userID {
                    request.storage[SessionExpiredKey.self] = ExpiredSession(userID: userID, formToken: data[CSRFMiddleware.sessionKey])
                } else {
                    try await (request.db as! any SQLDatabase).delete(from: StoredSession.schema).where("id_hash", .equal, idHash).run()
                }
                return nil
            }
            if userID != nil, try !row.decodeNil(column: "u_id") {
                request.storage[SessionPersonKey.self] = SessionPerson(user: try User(row: row, prefix: "u_"),
                                                                       teamName: try row.decode(column: "team_name", as: String?.self))
            }
            request.storage[SessionAsReadKey.self] = SessionAsRead(snapshot: data.snapshot, createdAt: createdAt, lastSeenAt: lastSeenAt)
            return data
        }
    }

    /// The statement's text is built once; only the bound hash changes.
    private static let readText = "SELECT sessions.data AS data, sessions.user_id AS user_id, sessions.created_at AS created_at, "
        + "sessions.last_seen_at AS last_seen_at, \(User.selectList(table: "users", prefix: "u_")), teams.name AS team_name "
        + "FROM sessions LEFT JOIN users ON users.id = sessions.user_id LEFT JOIN teams ON teams.id = users.team_id WHERE sessions.id_hash = "
    private static func readStatement(bind idHash: String) -> SQLQueryString {
        "\(unsafeRaw: readText)\(bind: idHash)"
    }

    /// How stale `last_seen_at` may get before an unchanged session is written again (or a tenth
    /// of a shorter idle timeout). Far inside the 30-minute idle timeout, and it spares a
    /// database write on almost every page.
    static let touchInterval: TimeInterval = 60

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let now = request.lantern.now()
        let touchInterval = min(Self.touchInterval, request.lantern.configuration.sessionLifetime.idleTimeout / 10)
        if let read = request.storage[SessionAsReadKey.self], read.snapshot == data.snapshot,
           now.timeIntervalSince(read.lastSeenAt) < touchInterval || request.storage[SessionUntouchedKey.self] == true {
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        return request.eventLoop.makeFutureWithTask {
            try await StoredSession.query(on: request.db)
                .filter(\.$idHash == SecretToken.digest(sessionID.string))
                .set(\.$data, to: data)
                .set(\.$userID, to: Self.userID(in: data))
                .set(\.$lastSeenAt, to: now)
                .update()
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        StoredSession.query(on: request.db)
            .filter(\.$idHash == SecretToken.digest(sessionID.string))
            .delete()
    }

    static func userID(in data: SessionData) -> UUID? {
        data[userKey].flatMap(UUID.init(uuidString:))
    }

    /// Ends every session of a person: on deactivation, a change of role, or a password change.
    static func endSessions(of userID: UUID, on db: any Database, except keep: SessionID? = nil) async throws {
        var query = StoredSession.query(on: db).filter(\.$userID == userID)
        if let keep { query = query.filter(\.$idHash != SecretToken.digest(keep.string)) }
        try await query.delete()
    }

    /// How long an expired signed-in session's row is kept, unusable, to recognise its forms.
    static let expiredKeptFor: TimeInterval = 4 * 60 * 60

    /// Removes sessions that can no longer be used: a visitor's at once, a signed-in person's
    /// once `expiredKeptFor` has passed too.
    static func purgeExpired(on db: any Database, lifetime: SessionLifetime, now: Date) async throws -> Int {
        let idleCutoff = now.addingTimeInterval(-lifetime.idleTimeout - expiredKeptFor)
        let absoluteCutoff = now.addingTimeInterval(-lifetime.absoluteLifetime - expiredKeptFor)
        let visitorCutoff = now.addingTimeInterval(-lifetime.idleTimeout)
        try await StoredSession.query(on: db).filter(\.$userID == nil).filter(\.$lastSeenAt < visitorCutoff).delete()
        let query = StoredSession.query(on: db).group(.or) {
            $0.filter(\.$lastSeenAt < idleCutoff).filter(\.$createdAt < absoluteCutoff)
        }
        let count = try await query.count()
        try await query.delete()
        return count
    }
}

/// The person a session names, read with it: `CurrentUserMiddleware` signs them in from this
/// without asking again.
struct SessionPerson: Sendable {
    let user: User
    let teamName: String?
}

struct SessionPersonKey: StorageKey { typealias Value = SessionPerson }

/// Set on a request whose signed-in session has expired, so the sign-in page can say so and a
/// form it carried can be kept.
struct SessionExpiredKey: StorageKey { typealias Value = ExpiredSession }

/// Set by a request that only asks how long the session has left: answering it must not extend it.
struct SessionUntouchedKey: StorageKey { typealias Value = Bool }

extension Request {
    /// Seconds until this request's signed-in session ends if nothing more is done: counted from
    /// its last use before this request, or from this request when it counts as use.
    func sessionSecondsLeft(countingThisRequest: Bool) -> Int? {
        guard let read = storage[SessionAsReadKey.self] else { return nil }
        let lifetime = lantern.configuration.sessionLifetime
        let now = lantern.now()
        let idle = lifetime.idleTimeout - (countingThisRequest ? 0 : now.timeIntervalSince(read.lastSeenAt))
        let absolute = lifetime.absoluteLifetime - now.timeIntervalSince(read.createdAt)
        return max(0, Int(min(idle, absolute).rounded(.up)))
    }
}

extension SessionsConfiguration {
    /// HttpOnly, SameSite=Strict and, behind TLS, Secure (`shared/docs/domain/security.md` §5).
    static func lantern(secure: Bool) -> SessionsConfiguration {
        SessionsConfiguration(cookieName: "lantern-session") { id in
            HTTPCookies.Value(string: id.string, expires: nil, maxAge: nil, domain: nil, path: "/",
                              isSecure: secure, isHTTPOnly: true, sameSite: .strict)
        }
    }
}

/// The session as it was read at the start of the request, to tell whether it needs writing back.
private struct SessionAsRead: Sendable {
    let snapshot: [String: String]
    let createdAt: Date
    let lastSeenAt: Date
}

private struct SessionAsReadKey: StorageKey { typealias Value = SessionAsRead }
