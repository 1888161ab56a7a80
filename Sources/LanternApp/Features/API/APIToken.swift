import Crypto
import Fluent
import Foundation
import LanternCore
import SQLKit

/// A token another system signs its API calls with. It belongs to a person (a personal access
/// token) or to a service account, holds scopes that are Lantern permissions, and acts with
/// no more than its owner's role holds at the time of the call.
///
/// The token itself is shown once; only its SHA-256 digest is kept (the token carries 160
/// random bits, so a plain digest cannot be reversed by guessing). Every token starts `lnt_`
/// so that secret scanners can recognise a leaked one (`shared/docs/domain/security.md` §1).
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "owner_id") var owner: User
    @Field(key: "name") var name: String
    @Field(key: "digest") var digest: String
    /// The first characters of the token, so a person can tell their tokens apart.
    @Field(key: "prefix") var prefix: String
    /// Permission raw values separated by spaces.
    @Field(key: "scopes") var scopeText: String
    @Field(key: "calls_per_minute") var callsPerMinute: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    var scopes: Set<Permission> { Set(scopeText.split(separator: " ").compactMap { Permission(rawValue: String($0)) }) }

    func isUsable(at now: Date) -> Bool { revokedAt == nil && expiresAt > now }

    /// A new token for `owner`, and its text, which is shown once and never stored.
    static func issue(owner: User, name: String, scopes: [Permission], days: Int, callsPerMinute: Int, by creator: UUID?, now: Date) -> (APIToken, String) {
        let text = APITokenText.make()
        let token = APIToken()
        token.$owner.id = owner.id!
        token.name = name
        token.digest = APITokenText.digest(text)
        token.prefix = String(text.prefix(APITokenText.prefix.count + 4))
        token.scopeText = scopes.map(\.rawValue).sorted().joined(separator: " ")
        token.callsPerMinute = callsPerMinute
        token.createdAt = now
        token.createdBy = creator
        token.expiresAt = now.addingTimeInterval(Double(days) * 86_400)
        return (token, text)
    }
}

extension APIToken: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] {
        [$id, $owner, $name, $digest, $prefix, $scopeText, $callsPerMinute, $createdAt, $createdBy, $expiresAt, $lastUsedAt, $revokedAt]
    }
    static let columnNames = ["id", "owner_id", "name", "digest", "prefix", "scopes", "calls_per_minute", "created_at", "created_by",
                              "expires_at", "last_used_at", "revoked_at"]
}

/// Making and recognising token text.
enum APITokenText {
    static let prefix = "lnt_"
    /// Scopes and lifetimes a token may be given.
    static let lifetimes = [30, 90, 180, 365]
    static let defaultCallsPerMinute = 600
    static let callLimits = 1...100_000

    /// A new token: `lnt_` and 32 characters of base32 (160 bits).
    static func make() -> String {
        var bytes = [UInt8](repeating: 0, count: 20)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        return prefix + Base32.encode(bytes).lowercased()
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexEncoded
    }

    /// Whether `text` could be a token at all, before the database is asked.
    static func looksValid(_ text: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count == prefix.utf8.count + 32
            && text.utf8.dropFirst(prefix.utf8.count).allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 50 && $0 <= 55) }
    }
}

/// Calls counted per token per minute, shared by every instance: one row per token and minute,
/// counted up in one statement, so concurrent calls on several instances cannot all slip under
/// the limit.
enum APICallCounter {
    /// The count after this call, and the seconds left in the minute.
    static func count(_ tokenID: UUID, at now: Date, on db: any Database) async throws -> (count: Int, retryAfter: Int) {
        let seconds = Int(now.timeIntervalSince1970)
        let minute = seconds / 60
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let calls: Int }
        let row = try await sql.raw("""
            INSERT INTO api_token_calls (token_id, minute, calls) VALUES (\(bind: tokenID), \(bind: minute), 1)
            ON CONFLICT (token_id, minute) DO UPDATE SET calls = api_token_calls.calls + 1
            RETURNING calls
            """).first(decoding: Row.self)
        return (row?.calls ?? 1, 60 - seconds % 60)
    }

    /// Minutes gone by are of no more use.
    static func forget(before now: Date, on db: any Database) async throws {
        let minute = Int(now.timeIntervalSince1970) / 60 - 2
        try await (db as! any SQLDatabase).raw("DELETE FROM api_token_calls WHERE minute < \(bind: minute)").run()
    }
}

struct CreateAPITokens: AsyncMigration {
    var name: String { "2026-12-07-create-api-tokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("owner_id", .uuid, .required, .references(User.schema, "id"))
            .field("name", .string, .required)
            .field("digest", .string, .required)
            .field("prefix", .string, .required)
            .field("scopes", .string, .required)
            .field("calls_per_minute", .int, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .field("expires_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "digest")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX IF NOT EXISTS api_tokens_owner ON api_tokens (owner_id)").run()
        try await sql.raw("CREATE TABLE api_token_calls (token_id \(unsafeRaw: sql.dialect.name == "postgresql" ? "UUID" : "BLOB") NOT NULL, minute BIGINT NOT NULL, calls INTEGER NOT NULL, PRIMARY KEY (token_id, minute))").run()
        // The API pages the registers by name or title then id: these let a page stop after its rows.
        try await sql.raw("CREATE INDEX IF NOT EXISTS suppliers_name_key_id_idx ON suppliers (name_key, id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS contracts_title_key_id_idx ON contracts (title_key, id)").run()
        // A service account is an account no one signs in to; its tokens act for a system.
        try await database.schema(User.schema).field("service_account", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("service_account").update()
        try await (database as! any SQLDatabase).raw("DROP TABLE api_token_calls").run()
        try await database.schema(APIToken.schema).delete()
    }
}

/// For the registry (`PersonalDataRegistry`): tokens belong to staff accounts.
enum APITokenPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: APIToken.schema, subject: .staff, link: .column("owner_id", of: User.schema), ownKey: false, erasure: .delete),
    ]
}
