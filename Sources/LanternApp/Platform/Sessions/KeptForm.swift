import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A form that arrived after its sender's session had expired, kept so that what they typed is
/// not lost: sealed under its own data key, tied to the person, for an hour. After signing in
/// again they are brought to it and can send it on.
final class KeptForm: Model, SealedModel, @unchecked Sendable {
    static let schema = "kept_forms"
    /// Long enough to sign in again after a lunch break; short, because it may hold a case note.
    static let lifetime: TimeInterval = 60 * 60
    /// The field a kept form carries when sent on, so it is deleted once accepted.
    static let idField = "_kept"

    /// The form's fields in the order they were sent, repeated names included (tick boxes).
    typealias Secrets = [Entry]
    struct Entry: Codable, Sendable, Equatable {
        let name: String
        let value: String
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    /// The path the form was sent to, where it goes when sent on.
    @Field(key: "action") var action: String
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(userID: UUID, action: String, now: Date) {
        self.userID = userID
        self.action = action
        self.wrappedKey = Data()
        self.sealed = Data()
        self.createdAt = now
        self.expiresAt = now.addingTimeInterval(Self.lifetime)
    }

    /// Fields named with a leading underscore are Lantern's own (the form token): never kept.
    static func fields(ofURLEncoded body: String) -> [Entry] {
        body.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let name = decode(parts[0])
            guard !name.isEmpty, !name.hasPrefix("_") else { return nil }
            return Entry(name: name, value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The person's unexpired kept form with this id; nobody else's.
    static func find(_ id: UUID, of userID: UUID, on db: any Database, now: Date) async throws -> KeptForm? {
        try await query(on: db).filter(\.$id == id).filter(\.$userID == userID).filter(\.$expiresAt > now).first()
    }

    static func deleteExpired(on db: any Database, now: Date) async throws {
        try await query(on: db).filter(\.$expiresAt <= now).delete()
    }
}

/// Whose session expired on this request, and the form token it held, so a form sent with
/// that token can be kept for them (`KeptForm`).
struct ExpiredSession: Sendable {
    let userID: UUID
    let formToken: String?
}

struct CreateKeptForms: AsyncMigration {
    var name: String { "2026-12-07-create-kept-forms" }

    func prepare(on database: any Database) async throws {
        try await database.schema(KeptForm.schema)
            .id()
            .field("user_id", .uuid, .required)
            .field("action", .string, .required)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "kept_forms_user_idx").on(KeptForm.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(KeptForm.schema).delete()
    }
}
