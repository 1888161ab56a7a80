import Fluent
import Foundation
import LanternCore
import SQLKit

/// A person's authenticator secret (RFC 6238), sealed at rest under its own data key. It is
/// unconfirmed until the person has typed a first code from it; `lastStep` is the time step of
/// the last code accepted, so no code is accepted twice (`shared/docs/domain/security.md` §5).
final class TwoFactorCredential: Model, SealedModel, @unchecked Sendable {
    static let schema = "two_factor_credentials"
    typealias Secrets = String

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @OptionalField(key: "last_step") var lastStep: Int64?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(userID: UUID, at time: Date) {
        self.userID = userID
        wrappedKey = Data()
        sealed = Data()
        createdAt = time
    }

    func totp(with cipher: FieldCipher) throws -> OneTimePassword {
        guard let secret = Base32.decode(try open(with: cipher)) else { throw FieldCipher.Problem.tampered }
        return OneTimePassword(secret: secret)
    }

    static func confirmed(for userID: UUID, on db: any Database) async throws -> TwoFactorCredential? {
        try await query(on: db).filter(\.$userID == userID).filter(\.$confirmedAt != nil).first()
    }

    static func unconfirmed(for userID: UUID, on db: any Database) async throws -> TwoFactorCredential? {
        try await query(on: db).filter(\.$userID == userID).filter(\.$confirmedAt == nil).first()
    }
}

/// One single-use recovery code, kept only as a keyed hash (`RecoveryCodes`).
final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "digest") var digest: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(userID: UUID, digest: String) {
        self.userID = userID
        self.digest = digest
    }

    static func digest(_ typed: String, keys: LookupKeys) -> String {
        keys.blindIndex(RecoveryCodes.normalise(typed), purpose: "recovery-code")
    }

    static func unused(for userID: UUID, on db: any Database) async throws -> Int {
        try await query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil).count()
    }
}

struct CreateTwoFactor: AsyncMigration {
    var name: String { "2026-12-06-create-two-factor" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TwoFactorCredential.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .field("confirmed_at", .datetime)
            .field("last_step", .int64)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(RecoveryCode.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("digest", .string, .required)
            .field("used_at", .datetime)
            .unique(on: "digest")
            .create()
        try await database.schema(User.schema).field("two_factor_at", .datetime).update()
        try await database.schema(Organisation.schema).field("require_two_factor", .bool).update()
        // A second person approves a reset of a case-content role's second factor, as a role.
        try await database.schema(RoleGrantRequest.schema).field("kind", .string).update()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS two_factor_credentials_user ON two_factor_credentials (user_id)").run()
            try await sql.raw("CREATE INDEX IF NOT EXISTS recovery_codes_user ON recovery_codes (user_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoleGrantRequest.schema).deleteField("kind").update()
        try await database.schema(Organisation.schema).deleteField("require_two_factor").update()
        try await database.schema(User.schema).deleteField("two_factor_at").update()
        try await database.schema(RecoveryCode.schema).delete()
        try await database.schema(TwoFactorCredential.schema).delete()
    }
}

/// For the registry (`PersonalDataRegistry`): a staff member's sign-in secrets.
enum TwoFactorPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: TwoFactorCredential.schema, subject: .staff, link: .column("user_id", of: User.schema), erasure: .delete),
        PersonalDataTable(table: RecoveryCode.schema, subject: .staff, link: .column("user_id", of: User.schema), ownKey: false, erasure: .delete),
    ]
}
