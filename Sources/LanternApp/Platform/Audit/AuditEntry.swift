import Fluent
import Foundation
import LanternCore

/// One row of the append-only, hash-chained audit log (`shared/docs/domain/security.md` §4).
/// `detail` never holds personal data about potential victims or reporters.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: String?
    @OptionalField(key: "actor_role") var actorRole: String?
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @OptionalField(key: "entity_id") var entityID: String?
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "request_id") var requestID: String?
    @OptionalField(key: "detail") var detail: String?
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(content: AuditRecordContent, previousHash: String, hash: String) {
        self.sequence = content.sequence
        self.at = Date(timeIntervalSince1970: Double(content.atMilliseconds) / 1000)
        self.actorID = content.actorID
        self.actorRole = content.actorRole
        self.action = content.action
        self.entityType = content.entityType
        self.entityID = content.entityID
        self.outcome = content.outcome
        self.requestID = content.requestID
        self.detail = content.detail
        self.previousHash = previousHash
        self.hash = hash
    }

    var content: AuditRecordContent {
        AuditRecordContent(
            sequence: sequence, atMilliseconds: Int64((at.timeIntervalSince1970 * 1000).rounded()),
            actorID: actorID, actorRole: actorRole, action: action, entityType: entityType,
            entityID: entityID, outcome: outcome, requestID: requestID, detail: detail)
    }

    static let columnNames = ["id", "sequence", "at", "actor_id", "actor_role", "action", "entity_type", "entity_id", "outcome",
                              "request_id", "detail", "previous_hash", "hash"]

    /// The values for `columnNames`, for a statement that inserts many rows at once.
    var columnValues: [any Encodable & Sendable] {
        [id, sequence, at, actorID, actorRole, action, entityType, entityID, outcome, requestID, detail, previousHash, hash]
    }

    var storedRow: AuditChain.StoredRow {
        .init(content: content, previousHash: previousHash, hash: hash)
    }
}

/// Creates the table and the database-level guards that refuse updates and deletes, so
/// not even a bug in Lantern can rewrite history through the app's connection.
struct CreateAuditEntry: AsyncMigration {
    /// Fixed, so renaming the type never re-runs the migration on a live database.
    var name: String { "2026-11-24-create-audit-entries" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field("sequence", .int64, .required)
            .field("at", .datetime, .required)
            .field("actor_id", .string)
            .field("actor_role", .string)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string)
            .field("outcome", .string, .required)
            .field("request_id", .string)
            .field("detail", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "audit_entries_at_idx").on(AuditEntry.schema).column("at").run()
        try await sql.create(index: "audit_entries_entity_idx").on(AuditEntry.schema).column("entity_type").column("entity_id").run()
        for statement in AuditLogGuard.install(dialect: sql.dialect.name) {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for statement in AuditLogGuard.remove(dialect: sql.dialect.name) {
            try await sql.raw(SQLQueryString(statement)).run()
        }
        try await database.schema(AuditEntry.schema).delete()
    }
}

/// The triggers that make `audit_entries` insert-only. Engine-specific SQL lives here alone.
enum AuditLogGuard {
    static func install(dialect: String) -> [String] {
        if dialect == "sqlite" {
            return [
                "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ]
        }
        return [
            """
            CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql
            """,
            "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
            "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
        ]
    }

    static func remove(dialect: String) -> [String] {
        if dialect == "sqlite" {
            return ["DROP TRIGGER IF EXISTS audit_entries_no_update", "DROP TRIGGER IF EXISTS audit_entries_no_delete"]
        }
        return [
            "DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries",
            "DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries",
            "DROP FUNCTION IF EXISTS audit_entries_append_only()",
        ]
    }
}
