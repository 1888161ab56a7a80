import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

struct CreateConcerns: AsyncMigration {
    var name: String { "2026-11-24-create-concerns" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Concern.schema).id()
            .field("reference", .string, .required)
            .field("channel", .string, .required)
            .field("status", .string, .required)
            .field("received_at", .datetime, .required)
            .field("acknowledge_by", .string, .required)
            .field("acknowledged_at", .datetime)
            .field("subject_kind", .string, .required)
            .field("age_category", .string)
            .field("child_involved", .string, .required)
            .field("immediate_danger", .bool, .required)
            .field("routes", .string, .required)
            .field("triage_outcome", .string)
            .field("team_id", .uuid, .references(Team.schema, "id", onDelete: .setNull))
            .field("handler_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("reported_by", .uuid)
            .field("supplier_id", .uuid)
            .field("contract_id", .uuid)
            .field("case_id", .uuid)
            .field("receipt_hash", .string)
            .field("referred_out_at", .datetime)
            .field("last_reporter_message_at", .datetime)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .field("updated_at", .datetime)
            .unique(on: "reference")
            .unique(on: "receipt_hash")
            .create()
        try await database.schema(ConcernTeam.schema).id()
            .field("concern_id", .uuid, .required, .references(Concern.schema, "id", onDelete: .cascade))
            .field("route", .string, .required)
            .field("team_id", .uuid, .references(Team.schema, "id", onDelete: .setNull))
            .create()
        try await database.schema(ConcernReporter.schema).id()
            .field("concern_id", .uuid, .required, .references(Concern.schema, "id", onDelete: .cascade))
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .unique(on: "concern_id")
            .create()
        try await database.schema(ConcernMessage.schema).id()
            .field("concern_id", .uuid, .required, .references(Concern.schema, "id", onDelete: .cascade))
            .field("visibility", .string, .required)
            .field("author_id", .uuid)
            .field("sent_at", .datetime, .required)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            for statement in [
                "CREATE INDEX concerns_status_ack ON concerns (status, acknowledge_by)",
                "CREATE INDEX concerns_team ON concerns (team_id, received_at)",
                "CREATE INDEX concerns_handler ON concerns (handler_id, received_at)",
                "CREATE INDEX concerns_received ON concerns (received_at)",
                "CREATE INDEX concern_teams_team ON concern_teams (team_id, concern_id)",
                "CREATE INDEX concern_teams_concern ON concern_teams (concern_id)",
                "CREATE INDEX concern_messages_concern ON concern_messages (concern_id, sent_at)",
            ] { try await sql.raw(SQLQueryString(statement)).run() }
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [ConcernMessage.schema, ConcernReporter.schema, ConcernTeam.schema, Concern.schema] {
            try await database.schema(schema).delete()
        }
    }
}
