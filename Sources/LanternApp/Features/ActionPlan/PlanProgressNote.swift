import Fluent
import Foundation
import LanternCore
import SQLKit

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
