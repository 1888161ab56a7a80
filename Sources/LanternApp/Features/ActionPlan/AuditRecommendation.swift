import Fluent
import Foundation
import LanternCore
import SQLKit

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
