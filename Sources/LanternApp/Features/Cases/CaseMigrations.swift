import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

struct CreateCases: AsyncMigration {
    var name: String { "2026-11-24-create-cases" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).id()
            .field("reference", .string, .required)
            .field("concern_id", .uuid)
            .field("owner_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("team_id", .uuid, .references(Team.schema, "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("opened_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("age_category", .string, .required)
            .field("under18_at_exploitation", .string, .required)
            .field("gender", .string, .required)
            .field("nationality", .string, .required)
            .field("second_nationality", .string)
            .field("exploitation_types", .string, .required)
            .field("county_lines", .bool, .required)
            .field("exploitation_location", .string, .required)
            .field("nrm_consent", .string)
            .field("willing_to_cooperate", .bool, .required)
            .field("next_deadline", .string)
            .field("person_index", .string)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .field("updated_at", .datetime)
            .unique(on: "reference")
            .create()
        func child(_ schema: String, _ build: (SchemaBuilder) -> SchemaBuilder) async throws {
            try await build(database.schema(schema).id()
                .field("case_id", .uuid, .required, .references(SafeguardingCase.schema, "id", onDelete: .cascade))).create()
        }
        try await child(CaseNote.schema) {
            $0.field("author_id", .uuid).field("written_at", .datetime, .required)
                .field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(CaseTask.schema) {
            $0.field("assignee_id", .uuid).field("due_on", .string, .required).field("done_at", .datetime)
                .field("created_at", .datetime, .required).field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(CaseMarker.schema) {
            $0.field("kind", .string, .required).field("set_by", .uuid, .required).field("set_at", .datetime, .required)
                .field("review_on", .string, .required).field("removed_at", .datetime)
                .field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(CaseConsent.schema) {
            $0.field("purpose", .string, .required).field("decision", .string, .required).field("wording_version", .string, .required)
                .field("method", .string, .required).field("given_on", .string, .required).field("recorded_by", .uuid, .required)
                .field("recorded_at", .datetime, .required).field("withdrawn_on", .string).field("withdrawal_method", .string)
        }
        try await child(CaseAction.schema) {
            $0.field("kind", .string, .required).field("sent_on", .string, .required).field("status", .string, .required)
                .field("recorded_by", .uuid, .required).field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await child(HomeOfficeReferral.schema) {
            $0.field("kind", .string, .required).field("state", .string, .required).field("started_on", .string, .required)
                .field("submitted_on", .string).field("rg_decision_on", .string).field("cg_decision_on", .string)
                .field("reconsidering", .string).field("combined_decision", .bool, .required).field("anonymous", .bool, .required)
                .field("due_on", .string).field("reference_index", .string)
                .field("wrapped_key", .data, .required).field("sealed", .data, .required)
        }
        try await database.schema(HomeOfficeReferralTransition.schema).id()
            .field("notification_id", .uuid, .required, .references(HomeOfficeReferral.schema, "id", onDelete: .cascade))
            .field("from_state", .string, .required).field("to_state", .string, .required).field("on_day", .string, .required)
            .field("recorded_at", .datetime, .required).field("recorded_by", .uuid, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "cases_owner_idx").on(SafeguardingCase.schema).column("owner_id").column("status").run()
            try await sql.create(index: "cases_team_idx").on(SafeguardingCase.schema).column("team_id").column("status").run()
            try await sql.create(index: "cases_opened_idx").on(SafeguardingCase.schema).column("opened_at").run()
            // Lists filter on status and order by opening date; the team and owner columns make
            // the need-to-know filter and the count answerable from the index alone.
            try await sql.create(index: "cases_status_opened_idx").on(SafeguardingCase.schema)
                .column("status").column("opened_at").column("team_id").column("owner_id").run()
            try await sql.create(index: "cases_deadline_idx").on(SafeguardingCase.schema).column("status").column("next_deadline").run()
            try await sql.create(index: "cases_person_idx").on(SafeguardingCase.schema).column("person_index").run()
            for table in [CaseNote.schema, CaseTask.schema, CaseMarker.schema, CaseConsent.schema, CaseAction.schema, HomeOfficeReferral.schema] {
                try await sql.create(index: "\(table)_case_idx").on(table).column("case_id").run()
            }
            try await sql.create(index: "case_tasks_due_idx").on(CaseTask.schema).column("done_at").column("due_on").run()
            try await sql.create(index: "nrm_notifications_due_idx").on(HomeOfficeReferral.schema).column("state").column("due_on").run()
            try await sql.create(index: "nrm_transitions_notification_idx").on(HomeOfficeReferralTransition.schema).column("notification_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [HomeOfficeReferralTransition.schema, HomeOfficeReferral.schema, CaseAction.schema, CaseConsent.schema, CaseMarker.schema,
                       CaseTask.schema, CaseNote.schema, SafeguardingCase.schema] {
            try await database.schema(schema).delete()
        }
    }
}
