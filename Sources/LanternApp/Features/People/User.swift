import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A member of staff who signs in to Lantern.
final class User: Model, Authenticatable, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: Role
    @OptionalParent(key: "team_id") var team: Team?
    /// The partner organisation a partner's staff member works for; nil for the council's staff.
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @OptionalField(key: "job_title") var jobTitle: String?
    /// Nil until an invited person chooses a password.
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "is_active") var isActive: Bool
    @OptionalField(key: "invitation_digest") var invitationDigest: String?
    @OptionalField(key: "invitation_expires_at") var invitationExpiresAt: Date?
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    /// Failed sign-ins since the last successful one, told to the holder when they next sign in.
    @OptionalField(key: "failed_sign_ins") var failedSignIns: Int?
    /// False while the person's role, which sees case content, awaits a second person's approval.
    @OptionalField(key: "role_approved") var roleApproved: Bool?
    /// When the person last turned on two-factor authentication; nil while they have none.
    @OptionalField(key: "two_factor_at") var twoFactorAt: Date?
    /// The digest of an unused password reset link, and when it stops working.
    @OptionalField(key: "reset_digest") var resetDigest: String?
    @OptionalField(key: "reset_expires_at") var resetExpiresAt: Date?
    @OptionalField(key: "reset_requested_at") var resetRequestedAt: Date?
    /// Whether the person wants the daily email of what is due (nil: yes).
    @OptionalField(key: "daily_digest") var dailyDigest: Bool?
    /// The identity provider's issuer and subject for this person, once they have signed in through it.
    @OptionalField(key: "oidc_subject") var oidcSubject: String?
    /// An account no one signs in to: its API tokens act for another system.
    @OptionalField(key: "service_account") var serviceAccount: Bool?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    init(email: String, displayName: String, role: Role, teamID: UUID?, jobTitle: String? = nil) {
        self.email = User.normalise(email: email)
        self.displayName = displayName
        self.role = role
        self.$team.id = teamID
        self.jobTitle = jobTitle
        self.isActive = true
    }

    static func normalise(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Set when the request came with an API token: the token's scopes narrow the role, and
    /// never widen it. Not stored.
    var tokenScopes: Set<Permission>?

    func can(_ permission: Permission) -> Bool { grants.allow(permission) }

    /// What the person may do, read from the record once: for asking many permissions in a
    /// row (the navigation asks fifteen on every page), where each field read costs.
    var grants: Grants { Grants(isActive: isActive, role: role, roleApproved: roleApproved, tokenScopes: tokenScopes) }

    struct Grants {
        let isActive: Bool
        let role: Role
        let roleApproved: Bool?
        let tokenScopes: Set<Permission>?

        func allow(_ permission: Permission) -> Bool {
            guard isActive, PermissionMatrix.allows(role, permission) else { return false }
            if let tokenScopes, !tokenScopes.contains(permission) { return false }
            // A role that opens case content works only once a second person has approved it.
            return roleApproved != false || !RoleGrantRule.contentPermissions.contains(permission)
        }
    }

    /// People's names by id, for pages that show who did what: one statement, and no account
    /// record made for a name.
    static func displayNames(of ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let sorted = ids.sorted { $0.uuidString < $1.uuidString }
        var names: [UUID: String] = [:]
        for row in try await sql.raw("SELECT id, display_name FROM users WHERE id IN (\(binds: sorted))").all() {
            names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "display_name", as: String.self)
        }
        return names
    }

    /// Whether the role opens case content, so the organisation may require a second factor.
    var seesCaseContent: Bool { !RoleGrantRule.content(of: role).isEmpty }

    var status: String {
        if !isActive { return "Deactivated" }
        if roleApproved == false { return "Awaiting approval" }
        if passwordHash == nil { return "Invited" }
        return "Active"
    }
}

struct CreateUser: AsyncMigration {
    /// Fixed, so renaming the type never re-runs the migration on a live database.
    var name: String { "2026-11-24-create-users" }

    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("team_id", .uuid, .references(Team.schema, "id", onDelete: .setNull))
            .field("job_title", .string)
            .field("password_hash", .string)
            .field("is_active", .bool, .required)
            .field("invitation_digest", .string)
            .field("invitation_expires_at", .datetime)
            .field("last_sign_in_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}

extension User: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        if created { createdAt = time }
        updatedAt = time
    }
}

extension User: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] {
        [$id, $email, $displayName, $role, $team, $partnerID, $jobTitle, $passwordHash, $isActive, $invitationDigest, $invitationExpiresAt,
         $lastSignInAt, $failedSignIns, $roleApproved, $twoFactorAt,
         $resetDigest, $resetExpiresAt, $resetRequestedAt, $dailyDigest, $oidcSubject, $serviceAccount, $createdAt, $updatedAt]
    }
    static let columnNames = ["id", "email", "display_name", "role", "team_id", "partner_id", "job_title", "password_hash", "is_active", "invitation_digest",
                              "invitation_expires_at", "last_sign_in_at", "failed_sign_ins", "role_approved", "two_factor_at",
                              "reset_digest", "reset_expires_at", "reset_requested_at", "daily_digest", "oidc_subject", "service_account", "created_at", "updated_at"]
}
