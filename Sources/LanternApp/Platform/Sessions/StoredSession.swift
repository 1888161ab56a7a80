import Fluent
import Foundation
import Vapor

/// A server-side session. Only the SHA-256 of the session id is stored, so a copy of the
/// database cannot be used to take over a session (`shared/docs/domain/security.md` §5).
final class StoredSession: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "id_hash") var idHash: String
    @Field(key: "data") var data: SessionData
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date

    init() {}

    init(idHash: String, data: SessionData, userID: UUID?, now: Date) {
        self.idHash = idHash
        self.data = data
        self.userID = userID
        self.createdAt = now
        self.lastSeenAt = now
    }
}

struct CreateStoredSession: AsyncMigration {
    /// Fixed, so renaming the type never re-runs the migration on a live database.
    var name: String { "2026-11-24-create-sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StoredSession.schema)
            .id()
            .field("id_hash", .string, .required)
            .field("data", .json, .required)
            .field("user_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .unique(on: "id_hash")
            .create()
        try await (database as! any SQLDatabase).create(index: "sessions_user_id_idx").on(StoredSession.schema).column("user_id").run()
        try await (database as! any SQLDatabase).create(index: "sessions_last_seen_idx").on(StoredSession.schema).column("last_seen_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredSession.schema).delete()
    }
}
