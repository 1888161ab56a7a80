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
