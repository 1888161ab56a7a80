/// Which role holds which permission, as data. Every route asks this one table
/// (through the app's `require(_:)`), so a change here changes the whole product.
///
/// Sources: `shared/docs/domain/security.md` §3: the administrator configures but sees
/// no case content; the auditor reads and changes nothing; the statistics analyst sees
/// suppressed aggregates only; case content goes to owner, team and safeguarding leads.
/// Unsuppressed figures (small numbers shown, for internal papers) are therefore the
/// safeguarding lead's, who sees every case anyway. Partners' staff submit their own returns and
/// read the published figures; the council's analysts see every partner's returns.
public enum PermissionMatrix {
    public static let grants: [Role: Set<Permission>] = [
        .administrator: [
            .manageUsers, .manageOrganisation, .viewAuditLog, .reportConcern, .managePartners,
        ],
        .safeguardingLead: [
            .reportConcern, .handleConcerns, .viewCases, .editCases, .overseeAllCases,
            .viewTraining, .viewActionPlan, .editActionPlan, .viewPartnershipStatistics, .viewUnsuppressedStatistics,
            .viewSuppliers, .viewContracts, .approveRoleGrants, .managePartners, .submitDataReturns, .viewPartnerReturns,
            .manageMeetings, .attendMeetings,
        ],
        .caseworker: [
            .reportConcern, .handleConcerns, .viewCases, .editCases, .viewTraining, .attendMeetings,
        ],
        .procurementOfficer: [
            .reportConcern, .handleConcerns, .viewSuppliers, .editSuppliers, .viewContracts, .editContracts,
            .checkStatements, .viewStatementChecks, .manageProcurementPolicy, .viewActionPlan, .viewTraining, .draftAnnualStatement,
            .attendMeetings,
        ],
        .contractManager: [
            .reportConcern, .viewSuppliers, .editSuppliers, .viewContracts, .editContracts,
            .checkStatements, .viewStatementChecks, .viewTraining,
        ],
        .trainingManager: [
            .reportConcern, .viewTraining, .manageTraining, .viewActionPlan, .attendMeetings,
        ],
        .auditor: [
            .viewAuditLog, .readAuditReasons, .viewSuppliers, .viewContracts, .viewStatementChecks, .viewTraining, .viewActionPlan,
            .viewPartnershipStatistics, .viewPartnerReturns,
        ],
        .partnershipAnalyst: [
            .viewPartnershipStatistics, .submitDataReturns, .viewPartnerReturns, .manageMeetings, .attendMeetings,
        ],
        // Subject access bundles hold case content, so they are the DPO's, not the administrator's
        // (security.md §3: "DPO: SAR and erasure workflows"; the administrator sees no case content).
        .dataProtectionOfficer: [
            .reportConcern, .managePrivacyRequests, .approveRoleGrants, .managePartners,
        ],
        // A partner's staff: their own organisation's returns and the published picture, never a
        // council case (the partnership issue; security.md §3, need to know).
        .partner: [
            .submitDataReturns, .viewPartnershipStatistics, .viewSharedCases, .attendMeetings,
        ],
    ]

    /// Deny by default: a role missing from the table holds nothing.
    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        grants[role]?.contains(permission) ?? false
    }

    public static func permissions(of role: Role) -> Set<Permission> {
        grants[role] ?? []
    }
}
