import Fluent
import Foundation
import LanternCore
import SQLKit

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
