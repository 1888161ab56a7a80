/// What a person may do. Routes name the permission they need; the
/// ``PermissionMatrix`` says which roles hold it. Deny by default
/// (`shared/docs/domain/security.md` §3).
public enum Permission: String, CaseIterable, Codable, Sendable {
    // Platform
    case manageUsers = "manage_users"
    case manageOrganisation = "manage_organisation"
    case viewAuditLog = "view_audit_log"
    /// Typed reasons kept sealed in the audit log (why a reporter was revealed) can name people:
    /// the internal auditor, who checks them, reads them; the administrator does not.
    case readAuditReasons = "read_audit_reasons"

    // Suppliers and contracts
    case viewSuppliers = "view_suppliers"
    case editSuppliers = "edit_suppliers"
    case viewContracts = "view_contracts"
    case editContracts = "edit_contracts"
    case checkStatements = "check_statements"
    case viewStatementChecks = "view_statement_checks"
    case manageProcurementPolicy = "manage_procurement_policy"

    // Concerns and cases (content is further limited to owner, team and leads)
    case reportConcern = "report_concern"
    case handleConcerns = "handle_concerns"
    case viewCases = "view_cases"
    case editCases = "edit_cases"
    case overseeAllCases = "oversee_all_cases"

    // The programme
    case viewTraining = "view_training"
    case manageTraining = "manage_training"
    case viewActionPlan = "view_action_plan"
    case editActionPlan = "edit_action_plan"
    case draftAnnualStatement = "draft_annual_statement"

    // Reporting and data protection
    case viewPartnershipStatistics = "view_partnership_statistics"
    /// Figures without small-number suppression (threshold 1), for internal papers only.
    case viewUnsuppressedStatistics = "view_unsuppressed_statistics"
    case managePrivacyRequests = "manage_privacy_requests"

    // The partnership
    case managePartners = "manage_partners"
    /// A partner's own staff submit for their organisation only; the council's analysts for any.
    case submitDataReturns = "submit_data_returns"
    /// Every partner's returns, source by source.
    case viewPartnerReturns = "view_partner_returns"
    /// Partnership meetings: the organisers', and what each invitee may see of those they are invited to.
    case manageMeetings = "manage_meetings"
    case attendMeetings = "attend_meetings"
    /// The parts of council cases shared with the person's organisation under an agreement.
    case viewSharedCases = "view_shared_cases"
    /// The second person who approves giving someone a role that sees case content.
    case approveRoleGrants = "approve_role_grants"

    public var summary: String {
        switch self {
        case .manageUsers: "Invite, deactivate and re-role people; manage teams"
        case .manageOrganisation: "Change the organisation's settings"
        case .viewAuditLog: "Browse the audit log"
        case .readAuditReasons: "Read the reasons typed into the audit log"
        case .viewSuppliers: "See suppliers and their due diligence"
        case .editSuppliers: "Register and change suppliers"
        case .viewContracts: "See contracts and their risk"
        case .editContracts: "Change contracts, reviews and risk registers"
        case .checkStatements: "Check modern slavery statements"
        case .viewStatementChecks: "See statement checks and their findings"
        case .manageProcurementPolicy: "Set procurement thresholds, risk bands and the goods list"
        case .reportConcern: "Report a concern as a member of staff"
        case .handleConcerns: "Triage and handle concerns"
        case .viewCases: "Read cases they are entitled to"
        case .editCases: "Change cases they are entitled to"
        case .overseeAllCases: "Read every case, whatever its team"
        case .viewTraining: "See training records"
        case .manageTraining: "Set training requirements and record completion"
        case .viewActionPlan: "See the action plan and audit recommendations"
        case .editActionPlan: "Change the action plan and audit recommendations"
        case .draftAnnualStatement: "Draft and publish the annual statement"
        case .viewPartnershipStatistics: "See anonymised partnership statistics"
        case .viewUnsuppressedStatistics: "See partnership statistics without small-number suppression, for internal papers"
        case .managePrivacyRequests: "Handle subject access, rectification and erasure"
        case .managePartners: "Keep the register of partner organisations and the list of areas"
        case .submitDataReturns: "Submit partners' data returns"
        case .viewPartnerReturns: "See every partner's data returns, source by source"
        case .manageMeetings: "Arrange partnership meetings, write their minutes and give actions"
        case .attendMeetings: "See the partnership meetings they are invited to and the actions given to them"
        case .viewSharedCases: "See what a council case owner has shared with their organisation"
        case .approveRoleGrants: "Approve giving someone a role that sees case content"
        }
    }
}
