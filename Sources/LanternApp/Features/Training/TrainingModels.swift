import Fluent
import Foundation
import LanternCore
import SQLKit

/// A course staff may be required to take, and how often it must be refreshed.
final class TrainingCourse: Model, @unchecked Sendable {
    static let schema = "training_courses"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    /// nil: done once.
    @OptionalField(key: "refresh_months") var refreshMonths: Int?
    @Field(key: "new_starter_days") var newStarterDays: Int
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var rule: CourseRule { CourseRule(refreshMonths: refreshMonths, newStarterDays: newStarterDays) }
    var refreshLabel: String {
        guard let months = refreshMonths else { return "Once" }
        return months == 12 ? "Every year" : months % 12 == 0 ? "Every \(months / 12) years" : "Every \(months) months"
    }
}

/// Who must take a course: everyone, or those with a job title, in a team or a directorate.
final class TrainingRequirement: Model, @unchecked Sendable {
    static let schema = "training_requirements"
    @ID(key: .id) var id: UUID?
    @Parent(key: "course_id") var course: TrainingCourse
    @OptionalField(key: "job_title") var jobTitle: String?
    @OptionalField(key: "team") var team: String?
    @OptionalField(key: "directorate") var directorate: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var rule: TrainingRequirementRule { TrainingRequirementRule(jobTitle: jobTitle, team: team, directorate: directorate) }
}

/// A member of staff, from HR's list: who must be trained, whether or not they use Lantern.
final class StaffMember: Model, @unchecked Sendable {
    static let schema = "staff_members"
    @ID(key: .id) var id: UUID?
    @Field(key: "staff_number") var staffNumber: String
    @Field(key: "name") var name: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "job_title") var jobTitle: String
    @OptionalField(key: "team") var team: String?
    @Field(key: "directorate") var directorate: String
    /// The line manager, whose dashboard lists this person.
    @OptionalField(key: "manager_email") var managerEmail: String?
    @OptionalField(key: "started_on") var startedOn: String?
    @OptionalField(key: "left_on") var leftOn: String?
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// A course completed: by hand or from a learning system's export.
final class TrainingCompletion: Model, @unchecked Sendable {
    static let schema = "training_completions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "staff_id") var staff: StaffMember
    @Parent(key: "course_id") var course: TrainingCourse
    @Field(key: "completed_on") var completedOn: String
    @Field(key: "provider") var provider: String
    /// A certificate number, a link to the learning record, or how it was confirmed.
    @Field(key: "evidence") var evidence: String
    /// "manual", or "import" with the file's name.
    @Field(key: "source") var source: String
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @Field(key: "recorded_at") var recordedAt: Date
    init() {}
}

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
