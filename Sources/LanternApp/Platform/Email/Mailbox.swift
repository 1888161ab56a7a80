import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// An email waiting to go, or gone. Written in the same transaction as whatever caused it, so
/// it is sent if and only if that happened; kept until sent, however long the mail server is
/// down. What Lantern emails never holds case content, names or case references: only that
/// something is waiting, and a link (issue 22, item 4). The body is sealed, because a link may
/// carry a one-use token (a password reset), and emptied once sent.
final class OutgoingMail: Model, SealedModel, @unchecked Sendable {
    static let schema = "outgoing_mail"
    typealias Secrets = String

    @ID(key: .id) var id: UUID?
    @Field(key: "to_address") var toAddress: String
    @Field(key: "subject") var subject: String
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    /// What kind of message, for the administrator's view of the queue.
    @Field(key: "kind") var kind: String
    /// Makes a second request for the same message (a digest for the same person and day) a no-op.
    @OptionalField(key: "dedupe_key") var dedupeKey: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "last_error") var lastError: String?

    init() {}
}

struct CreateOutgoingMail: AsyncMigration {
    var name: String { "2026-12-06-create-outgoing-mail" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OutgoingMail.schema)
            .id()
            .field("to_address", .string, .required)
            .field("subject", .string, .required)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .field("kind", .string, .required)
            .field("dedupe_key", .string)
            .field("created_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .unique(on: "dedupe_key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS outgoing_mail_due ON outgoing_mail (sent_at, next_attempt_at)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutgoingMail.schema).delete()
    }
}

/// The queue of outgoing email, shared by every instance: messages are added inside the
/// transaction that causes them, and each instance's timer sends what is due. A message is
/// claimed for a few minutes before it is sent (PostgreSQL's `FOR UPDATE SKIP LOCKED`; SQLite's
/// single writer), so two instances never both send it; a failure is tried again with a
/// doubling wait, up to an hour, for as long as it takes.
enum Mailbox {
    /// How long a claimed message is left to its sender before another instance may try.
    static let claimFor: TimeInterval = 5 * 60
    static let firstRetry: TimeInterval = 60
    static let longestRetry: TimeInterval = 60 * 60
    /// Sent messages are kept this long (to show what went), then deleted with their address.
    static let keepSentFor: TimeInterval = 30 * 86_400

    /// Queues a message. With a `dedupeKey` already queued, nothing is added.
    static func enqueue(_ message: MailMessage, kind: String, dedupeKey: String? = nil, on db: any Database, cipher: FieldCipher, now: Date) async throws {
        if let dedupeKey, try await OutgoingMail.query(on: db).filter(\.$dedupeKey == dedupeKey).count() > 0 { return }
        let mail = OutgoingMail()
        mail.wrappedKey = Data()
        try mail.seal(message.body, with: cipher)
        mail.toAddress = message.to
        mail.subject = message.subject
        mail.kind = kind
        mail.dedupeKey = dedupeKey
        mail.createdAt = now
        mail.attempts = 0
        mail.nextAttemptAt = now
        try await mail.create(on: db)
    }

    /// Sends every message that is due, one at a time; returns how many went.
    @discardableResult
    static func deliverDue(_ app: Application, limit: Int = 50) async throws -> Int {
        guard let transport = app.mailTransport else { return 0 }
        let sender = app.lantern.configuration.mail.sender, cipher = app.lantern.cipher
        var sent = 0
        for _ in 0..<limit {
            let now = app.lantern.now()
            guard let mail = try await claim(on: app.db, now: now) else { break }
            do {
                try await transport.deliver(MailMessage(to: mail.toAddress, subject: mail.subject, body: try mail.open(with: cipher)),
                                            from: sender, id: mail.id!, date: now)
                // What went is not kept: the body (and any link in it) is emptied.
                try mail.seal("", with: cipher)
                try await OutgoingMail.query(on: app.db).filter(\.$id == mail.id!)
                    .set(\.$sentAt, to: app.lantern.now()).set(\.$lastError, to: nil).set(\.$sealed, to: mail.sealed).update()
                sent += 1
            } catch {
                let wait = min(longestRetry, firstRetry * pow(2, Double(max(0, mail.attempts - 1))))
                try await OutgoingMail.query(on: app.db).filter(\.$id == mail.id!)
                    .set(\.$nextAttemptAt, to: app.lantern.now().addingTimeInterval(wait))
                    .set(\.$lastError, to: String(String(describing: error).prefix(300))).update()
                app.logger.warning("email not sent; will try again", metadata: ["mail": "\(mail.id!)", "kind": "\(mail.kind)", "attempts": "\(mail.attempts)",
                                                                                "retry_seconds": "\(Int(wait))", "error": "\(error)"])
                // The server is likely down for the rest too: leave them for the next pass.
                break
            }
        }
        return sent
    }

    /// The oldest due message, now claimed: its next attempt moved past the claim.
    static func claim(on db: any Database, now: Date) async throws -> OutgoingMail? {
        if !DatabaseSetup.isSQLite(db), let sql = db as? any SQLDatabase {
            let rows = try await sql.raw("""
                UPDATE outgoing_mail SET next_attempt_at = \(bind: now.addingTimeInterval(claimFor)), attempts = attempts + 1
                WHERE id = (SELECT id FROM outgoing_mail WHERE sent_at IS NULL AND next_attempt_at <= \(bind: now)
                            ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id
                """).all()
            guard let id = try rows.first?.decode(column: "id", as: UUID.self) else { return nil }
            return try await OutgoingMail.find(id, on: db)
        }
        return try await db.writeTransaction { db in
            guard let mail = try await OutgoingMail.query(on: db).filter(\.$sentAt == nil).filter(\.$nextAttemptAt <= now)
                .sort(\.$nextAttemptAt).sort(\.$id).first() else { return nil }
            mail.nextAttemptAt = now.addingTimeInterval(claimFor)
            mail.attempts += 1
            try await mail.save(on: db)
            return mail
        }
    }

    static func deleteOldSent(on db: any Database, now: Date) async throws {
        try await OutgoingMail.query(on: db).filter(\.$sentAt < now.addingTimeInterval(-keepSentFor)).delete()
    }

    /// Each instance looks at the queue every `deliveryInterval` seconds.
    static func schedule(on app: Application) {
        let eventLoop = app.eventLoopGroup.next()
        let seconds = Int64(app.lantern.configuration.mail.deliveryInterval)
        eventLoop.scheduleRepeatedAsyncTask(initialDelay: .seconds(min(3, seconds)), delay: .seconds(seconds)) { _ in
            eventLoop.makeFutureWithTask {
                do { try await deliverDue(app) } catch { app.logger.warning("email queue", metadata: ["error": "\(error)"]) }
            }
        }
    }

    /// A link into Lantern for an email.
    static func link(_ app: Application, _ path: String) -> String { app.lantern.configuration.mail.publicURL + path }
}

/// For the registry: staff addresses on queued mail, deleted a month after sending.
enum MailPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: OutgoingMail.schema, subject: .staff, link: .itself, clearPersonalColumns: ["to_address"], erasure: .delete),
    ]
}
