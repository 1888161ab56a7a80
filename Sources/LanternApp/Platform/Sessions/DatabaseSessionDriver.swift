import Fluent
import Foundation
import LanternCore
import Vapor

/// Sessions kept in the database, so several Lantern instances can serve one organisation.
/// Sessions idle for longer than the idle timeout, or older than the absolute lifetime,
/// are deleted when next presented.
struct DatabaseSessionDriver: SessionDriver {
    static let userKey = "user"

    /// A session is written only once it holds something (a signed-in person, a reporter's
    /// concern, a message): a visitor's page, or a cookie naming no session, writes no row.
    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let token = SecretToken.generate()
        guard !data.snapshot.isEmpty else { return request.eventLoop.makeSucceededFuture(SessionID(string: token)) }
        let record = StoredSession(idHash: SecretToken.digest(token), data: data,
                                   userID: Self.userID(in: data), now: request.lantern.now())
        return record.create(on: request.db).map { SessionID(string: token) }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let lifetime = request.lantern.configuration.sessionLifetime
        let now = request.lantern.now()
        return request.eventLoop.makeFutureWithTask {
            guard let record = try await StoredSession.query(on: request.db)
                .filter(\.$idHash == SecretToken.digest(sessionID.string)).first()
            else { return nil }
            if lifetime.hasExpired(createdAt: record.createdAt, lastSeenAt: record.lastSeenAt, now: now) {
                try await record.delete(on: request.db)
                if record.userID != nil { request.storage[SessionExpiredKey.self] = true }
                return nil
            }
            request.storage[SessionAsReadKey.self] = SessionAsRead(snapshot: record.data.snapshot, lastSeenAt: record.lastSeenAt)
            return record.data
        }
    }

    /// How stale `last_seen_at` may get before an unchanged session is written again. Far
    /// inside the 30-minute idle timeout, and it spares a database write on almost every page.
    static let touchInterval: TimeInterval = 60

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let now = request.lantern.now()
        if let read = request.storage[SessionAsReadKey.self], read.snapshot == data.snapshot,
           now.timeIntervalSince(read.lastSeenAt) < Self.touchInterval {
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

    /// Removes sessions that can no longer be used.
    static func purgeExpired(on db: any Database, lifetime: SessionLifetime, now: Date) async throws -> Int {
        let idleCutoff = now.addingTimeInterval(-lifetime.idleTimeout)
        let absoluteCutoff = now.addingTimeInterval(-lifetime.absoluteLifetime)
        let query = StoredSession.query(on: db).group(.or) {
            $0.filter(\.$lastSeenAt < idleCutoff).filter(\.$createdAt < absoluteCutoff)
        }
        let count = try await query.count()
        try await query.delete()
        return count
    }
}

/// Set on a request whose signed-in session had just expired, so the sign-in page can say so.
struct SessionExpiredKey: StorageKey { typealias Value = Bool }

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
    let lastSeenAt: Date
}

private struct SessionAsReadKey: StorageKey { typealias Value = SessionAsRead }
