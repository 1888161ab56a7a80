import Fluent
import Foundation
import LanternCore
import SQLKit

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
