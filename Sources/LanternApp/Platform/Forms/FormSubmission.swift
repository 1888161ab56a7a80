import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Each form carries a one-use token (`_once`), so the same form sent twice (a double click, a
/// resend after a slow answer, the back button) makes one change, not two. The first
/// sending claims the token for its form's path; a later one is sent where the first went.
/// Claims are shared through the database, so it holds across instances.
final class FormSubmission: Model, @unchecked Sendable {
    static let schema = "form_submissions"
    static let field = "_once"
    /// Long enough for any resend; a day.
    static let kept: TimeInterval = 24 * 60 * 60

    @ID(key: .id) var id: UUID?
    /// The token and the path it was sent to, hashed: the token alone is never stored.
    @Field(key: "key_digest") var keyDigest: String
    /// Where the first sending led, once it has been answered with a redirect.
    @OptionalField(key: "location") var location: String?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    enum Claim { case first(FormSubmission), repeated(location: String?) }

    static func claim(token: String, path: String, on db: any Database, now: Date) async throws -> Claim {
        let digest = SecretToken.digest(path + "|" + token)
        let claim = FormSubmission()
        claim.keyDigest = digest
        claim.expiresAt = now.addingTimeInterval(kept)
        do {
            try await claim.create(on: db)
            return .first(claim)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            let earlier = try await query(on: db).filter(\.$keyDigest == digest).first()
            return .repeated(location: earlier?.location)
        }
    }

    /// Records where the first sending led, or gives the token back when it changed nothing
    /// (the form was answered with its errors, or with a confirmation step).
    func settle(after response: Response, on db: any Database) async throws {
        if (300..<400).contains(response.status.code), let target = response.headers.first(name: .location) {
            location = target
            try await save(on: db)
        } else {
            try await delete(on: db)
        }
    }

    static func deleteExpired(on db: any Database, now: Date) async throws {
        try await query(on: db).filter(\.$expiresAt <= now).delete()
    }
}

struct CreateFormSubmissions: AsyncMigration {
    var name: String { "2026-12-07-create-form-submissions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(FormSubmission.schema)
            .id()
            .field("key_digest", .string, .required)
            .field("location", .string)
            .field("expires_at", .datetime, .required)
            .unique(on: "key_digest")
            .create()
        try await (database as! any SQLDatabase).create(index: "form_submissions_expiry_idx").on(FormSubmission.schema).column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FormSubmission.schema).delete()
    }
}
