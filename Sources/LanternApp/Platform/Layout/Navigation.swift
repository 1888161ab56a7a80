import LanternCore

/// A section of Lantern in the header navigation. A person sees only the sections their role
/// opens, so navigation never offers a page that would answer 403.
struct NavigationItem: Sendable {
    let title: String
    let path: String
    let permission: Permission?
    let summary: String

    /// Every section, in the order the header shows them. Each feature adds its entry here.
    static let all: [NavigationItem] = [
        .init(title: "Home", path: "/home", permission: nil, summary: "Your work in Lantern"),
        .init(title: "People", path: "/admin/users", permission: .manageUsers,
              summary: "Invite people, change roles, deactivate accounts"),
        .init(title: "Teams", path: "/admin/teams", permission: .manageUsers,
              summary: "The teams people and cases belong to"),
        .init(title: "Service accounts", path: "/admin/service-accounts", permission: .manageUsers,
              summary: "Accounts for other systems that use Lantern's API, and their tokens"),
        .init(title: "Organisation", path: "/admin/organisation", permission: .manageOrganisation,
              summary: "Name, kind, First Responder status, financial year"),
        .init(title: "Concerns", path: "/concerns", permission: .handleConcerns,
              summary: "Concerns routed to your team: acknowledge, reply to reporters, triage"),
        .init(title: "Cases", path: "/cases", permission: .viewCases,
              summary: "Potential victims, NRM referrals and Duty to Notify, tasks, evidence"),
        .init(title: "Report a concern", path: "/concerns/new", permission: .reportConcern,
              summary: "Tell the safeguarding team about possible modern slavery or exploitation"),
        .init(title: "Statistics", path: "/reports", permission: .viewPartnershipStatistics,
              summary: "Anonymised partnership figures for a year, with small numbers suppressed"),
        .init(title: "Partnership picture", path: "/partnership", permission: .viewPartnershipStatistics,
              summary: "The council's cases and the partners' returns together: cross-tabulations and trends"),
        .init(title: "Data returns", path: "/returns", permission: .submitDataReturns,
              summary: "Partners' figures for a period: submit a return by form or CSV"),
        .init(title: "Meetings", path: "/meetings", permission: .attendMeetings,
              summary: "Partnership meetings you are invited to, their agendas, minutes and your actions"),
        .init(title: "Shared cases", path: "/shared-cases", permission: .viewSharedCases,
              summary: "Council cases shared with your organisation under an information-sharing agreement"),
        .init(title: "Sharing agreements", path: "/partners/agreements", permission: .managePartners,
              summary: "Information-sharing agreements with partners: lawful basis, data categories, review dates"),
        .init(title: "Partners", path: "/partners", permission: .managePartners,
              summary: "The partner organisations, their contacts and people, and the areas figures are shown by"),
        .init(title: "Procurement", path: "/procurement", permission: .viewContracts,
              summary: "Contracts by risk, reviews due and overdue, statement gaps, open actions"),
        .init(title: "Suppliers", path: "/suppliers", permission: .viewSuppliers,
              summary: "The supplier register: Selection Questionnaire answers, declarations, statements"),
        .init(title: "Contracts", path: "/contracts", permission: .viewContracts,
              summary: "Contracts, PPN 02/23 risk assessments, annual reviews, risk registers, actions and KPIs"),
        .init(title: "Statements", path: "/statements", permission: .viewStatementChecks,
              summary: "Check a supplier's modern slavery statement and see what it lacks"),
        .init(title: "Training", path: "/training", permission: .viewTraining,
              summary: "Who must be trained, who is in date, due soon, overdue or never trained"),
        .init(title: "Action plan", path: "/action-plan", permission: .viewActionPlan,
              summary: "The modern slavery action plan by area, progress reports and audit recommendations"),
        .init(title: "Annual statement", path: "/annual-statement", permission: .draftAnnualStatement,
              summary: "Draft, approve, sign and publish our own Modern Slavery Statement"),
        .init(title: "Personal data", path: "/privacy", permission: .managePrivacyRequests,
              summary: "Subject access, rectification, erasure and restriction requests; the disclosure log"),
        .init(title: "Retention", path: "/admin/retention", permission: .manageOrganisation,
              summary: "How long each kind of record is kept, and the purge that enforces it"),
        .init(title: "Role requests", path: "/role-requests", permission: .approveRoleGrants,
              summary: "Approve or refuse giving someone a role that sees case content"),
        .init(title: "Audit log", path: "/audit", permission: .viewAuditLog,
              summary: "Every sign-in, refusal and change, hash-chained"),
    ]

    static func visible(to user: User) -> [NavigationItem] {
        let grants = user.grants
        return all.filter { item in item.permission.map { grants.allow($0) } ?? true }
    }
}
