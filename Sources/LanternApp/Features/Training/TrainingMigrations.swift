import Fluent
import Foundation
import LanternCore
import SQLKit

struct CreateTraining: AsyncMigration {
    var name: String { "2026-11-24-create-training" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TrainingCourse.schema).id()
            .field("name", .string, .required).field("description", .string, .required)
            .field("refresh_months", .int).field("new_starter_days", .int, .required).field("created_at", .datetime, .required)
            .unique(on: "name").create()
        try await database.schema(TrainingRequirement.schema).id()
            .field("course_id", .uuid, .required, .references(TrainingCourse.schema, "id", onDelete: .cascade))
            .field("job_title", .string).field("team", .string).field("directorate", .string).field("created_at", .datetime, .required)
            .create()
        try await database.schema(StaffMember.schema).id()
            .field("staff_number", .string, .required).field("name", .string, .required).field("email", .string)
            .field("job_title", .string, .required).field("team", .string).field("directorate", .string, .required)
            .field("manager_email", .string).field("started_on", .string).field("left_on", .string).field("updated_at", .datetime, .required)
            .unique(on: "staff_number").create()
        try await database.schema(TrainingCompletion.schema).id()
            .field("staff_id", .uuid, .required, .references(StaffMember.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(TrainingCourse.schema, "id", onDelete: .cascade))
            .field("completed_on", .string, .required).field("provider", .string, .required).field("evidence", .string, .required)
            .field("source", .string, .required).field("recorded_by", .uuid).field("recorded_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "staff_members_manager_idx").on(StaffMember.schema).column("manager_email").run()
            try await sql.create(index: "training_completions_staff_idx").on(TrainingCompletion.schema).column("staff_id").column("course_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [TrainingCompletion.schema, StaffMember.schema, TrainingRequirement.schema, TrainingCourse.schema] {
            try await database.schema(schema).delete()
        }
    }
}
