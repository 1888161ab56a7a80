import Fluent
import Foundation
import LanternCore
import SQLKit

/// One action of the modern slavery action plan for a financial year.
final class PlanAction: Model, @unchecked Sendable {
    static let schema = "plan_actions"
    @ID(key: .id) var id: UUID?
    /// The calendar year in which the plan's financial year ends.
    @Field(key: "plan_year") var planYear: Int
    @Field(key: "area") var area: PlanArea
    @Field(key: "title") var title: String
    @Field(key: "detail") var detail: String
    @Field(key: "owner") var owner: String
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "status") var status: ActionStatus
    /// Embedded in everyday work: reported this year, left out of the next plan.
    @Field(key: "business_as_usual") var businessAsUsual: Bool
    /// The action of the year before that this one carries on.
    @OptionalField(key: "carried_from") var carriedFrom: UUID?
    @OptionalField(key: "recommendation_id") var recommendationID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var due: Day? { dueOn.flatMap(Day.init(parsing:)) }
}

/// A dated note of progress on an action, as the mid-year and annual reviews read them.
final class PlanProgressNote: Model, @unchecked Sendable {
    static let schema = "plan_progress_notes"
    @ID(key: .id) var id: UUID?
    @Parent(key: "action_id") var action: PlanAction
    @Field(key: "noted_on") var notedOn: String
    @Field(key: "text") var text: String
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "author_name") var authorName: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// An internal audit recommendation, its agreed action and its closure.
final class AuditRecommendation: Model, @unchecked Sendable {
    static let schema = "audit_recommendations"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    /// The audit it came from, e.g. "Modern Slavery Internal Audit Review 2024".
    @Field(key: "audit_name") var auditName: String
    @Field(key: "raised_on") var raisedOn: String
    @Field(key: "recommendation") var recommendation: String
    @Field(key: "priority") var priority: RecommendationPriority
    @Field(key: "agreed_action") var agreedAction: String
    @Field(key: "owner") var owner: String
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "status") var status: RecommendationStatus
    /// Why it was not accepted, or how it was implemented.
    @Field(key: "response") var response: String
    @OptionalField(key: "closed_on") var closedOn: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

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
