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
