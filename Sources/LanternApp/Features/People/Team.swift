import Fluent
import Foundation
import Vapor

/// A team of staff (Children's Social Care, Procurement …). Case content is shared with
/// the team a case is assigned to (`shared/docs/domain/security.md` §3).
final class Team: Model, @unchecked Sendable {
    static let schema = "teams"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Children(for: \.$team) var members: [User]
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
    init(name: String) { self.name = name }

    /// The teams a new organisation starts with; the seeds name these as the points of contact.
    static let standardNames = ["Children's Social Care", "Adult Social Care", "Procurement", "Community Safety"]
}

struct CreateTeam: AsyncMigration {
    /// Fixed, so renaming the type never re-runs the migration on a live database.
    var name: String { "2026-11-24-create-teams" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Team.schema)
            .id()
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Team.schema).delete()
    }
}

extension Team: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        if created { createdAt = time }
    }
}

extension Team: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] { [$id, $name, $createdAt] }
    static let columnNames = ["id", "name", "created_at"]
}
