import Fluent
import Foundation
import LanternCore
import SQLKit

struct CreateActionPlan: AsyncMigration {
    var name: String { "2026-11-24-create-action-plan" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditRecommendation.schema).id()
            .field("reference", .string, .required).field("audit_name", .string, .required).field("raised_on", .string, .required)
            .field("recommendation", .string, .required).field("priority", .string, .required).field("agreed_action", .string, .required)
            .field("owner", .string, .required).field("due_on", .string).field("status", .string, .required).field("response", .string, .required)
            .field("closed_on", .string).field("created_at", .datetime, .required)
            .unique(on: "reference").create()
        try await database.schema(PlanAction.schema).id()
            .field("plan_year", .int, .required).field("area", .string, .required).field("title", .string, .required)
            .field("detail", .string, .required).field("owner", .string, .required).field("due_on", .string)
            .field("status", .string, .required).field("business_as_usual", .bool, .required).field("carried_from", .uuid)
            .field("recommendation_id", .uuid, .references(AuditRecommendation.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .create()
        try await database.schema(PlanProgressNote.schema).id()
            .field("action_id", .uuid, .required, .references(PlanAction.schema, "id", onDelete: .cascade))
            .field("noted_on", .string, .required).field("text", .string, .required).field("author_id", .uuid)
            .field("author_name", .string, .required).field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "plan_actions_year_idx").on(PlanAction.schema).column("plan_year").column("area").run()
            try await sql.create(index: "plan_progress_notes_action_idx").on(PlanProgressNote.schema).column("action_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [PlanProgressNote.schema, PlanAction.schema, AuditRecommendation.schema] { try await database.schema(schema).delete() }
    }
}
