import Fluent
import Foundation
import LanternCore

/// An administrator's request to give someone a role (and team) that sees case content,
/// waiting for a second person (`RoleGrantRule`). Nothing changes for the person until it is
/// approved; a new person's account opens no case content until then.
final class RoleGrantRequest: Model, @unchecked Sendable {
    static let schema = "role_grant_requests"

    enum Outcome: String, Codable { case approved, refused, withdrawn }
    /// What is asked for: a role (nil, as before this column), or a reset of the person's second factor.
    enum Kind: String, Codable { case twoFactorReset = "two_factor_reset" }

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "role") var role: Role
    @OptionalField(key: "team_id") var teamID: UUID?
    @Field(key: "requested_by") var requestedBy: UUID
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "outcome") var outcome: Outcome?
    @OptionalField(key: "kind") var kind: Kind?

    init() {}

    init(userID: UUID, role: Role, teamID: UUID?, requestedBy: UUID, at: Date) {
        self.$user.id = userID
        self.role = role
        self.teamID = teamID
        self.requestedBy = requestedBy
        self.requestedAt = at
    }

    /// The one open request of a kind (a role, when nil) for a person, if any.
    static func pending(for userID: UUID, kind: Kind? = nil, on db: any Database) async throws -> RoleGrantRequest? {
        try await query(on: db).filter(\.$user.$id == userID).filter(\.$outcome == nil).filter(\.$kind == kind).first()
    }
}

struct CreateRoleGrantRequests: AsyncMigration {
    var name: String { "2026-12-06-create-role-grant-requests" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RoleGrantRequest.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("role", .string, .required)
            .field("team_id", .uuid)
            .field("requested_by", .uuid, .required)
            .field("requested_at", .datetime, .required)
            .field("decided_by", .uuid)
            .field("decided_at", .datetime)
            .field("outcome", .string)
            .create()
        // Existing accounts were set up before the rule; their roles stand.
        try await database.schema(User.schema).field("role_approved", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("role_approved").update()
        try await database.schema(RoleGrantRequest.schema).delete()
    }
}
