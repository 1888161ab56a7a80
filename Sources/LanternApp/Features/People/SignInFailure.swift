import Fluent
import Foundation

/// A failed sign-in, kept briefly to throttle guessing. Keyed by a digest of the address
/// typed, so the table holds no email addresses.
final class SignInFailure: Model, @unchecked Sendable {
    static let schema = "sign_in_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "key_digest") var keyDigest: String
    @Field(key: "at") var at: Date

    init() {}
    init(keyDigest: String, at: Date) {
        self.keyDigest = keyDigest
        self.at = at
    }
}

struct CreateSignInFailure: AsyncMigration {
    /// Fixed, so renaming the type never re-runs the migration on a live database.
    var name: String { "2026-11-24-create-sign-in-failures" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SignInFailure.schema)
            .id()
            .field("key_digest", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "sign_in_failures_key_idx")
            .on(SignInFailure.schema).column("key_digest").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignInFailure.schema).delete()
    }
}
