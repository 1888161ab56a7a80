/// Giving or raising a role that sees case or concern content takes two people: the
/// administrator asks, and a safeguarding lead approves (the data protection officer, for
/// that role). The administrator sees no case content (`shared/docs/domain/security.md` §3),
/// so they must not be able to reach it by inviting an account they control.
public enum RoleGrantRule {
    /// The permissions that open case or concern content, or hand such roles out.
    public static let contentPermissions: Set<Permission> = [.handleConcerns, .viewCases, .overseeAllCases, .managePrivacyRequests, .approveRoleGrants, .readAuditReasons]

    public static func content(of role: Role) -> Set<Permission> {
        PermissionMatrix.permissions(of: role).intersection(contentPermissions)
    }

    /// Whether moving someone from `old` (nil for a new person) to `new` needs approval: the new
    /// role opens content the old one did not, or a content role moves to another team (teams
    /// decide whose cases a caseworker reads).
    public static func needsApproval(from old: Role?, to new: Role, teamChanges: Bool) -> Bool {
        let gained = content(of: new).subtracting(old.map(content(of:)) ?? [])
        return !gained.isEmpty || (teamChanges && !content(of: new).isEmpty)
    }

    /// Who approves: the data protection officer for that role, a safeguarding lead otherwise.
    public static func approver(for role: Role) -> Role {
        role == .dataProtectionOfficer ? .dataProtectionOfficer : .safeguardingLead
    }
}
