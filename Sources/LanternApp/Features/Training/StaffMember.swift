import Fluent
import Foundation
import LanternCore
import SQLKit

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
