/// The roles people hold in Lantern. Each person has exactly one role; need-to-know
/// access to case content is narrowed further by team and ownership.
///
/// Source: `shared/docs/domain/security.md` §3 (roles and need-to-know) and the
/// Foundation issue's role list.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case administrator
    case safeguardingLead = "safeguarding_lead"
    case caseworker
    case procurementOfficer = "procurement_officer"
    case contractManager = "contract_manager"
    case trainingManager = "training_manager"
    case auditor
    case partnershipAnalyst = "partnership_analyst"
    case dataProtectionOfficer = "data_protection_officer"
    /// Staff of a partner organisation (the police, the GLAA, a charity …), not of the council.
    case partner

    public var displayName: String {
        switch self {
        case .administrator: "Administrator"
        case .safeguardingLead: "Safeguarding lead"
        case .caseworker: "Caseworker"
        case .procurementOfficer: "Procurement officer"
        case .contractManager: "Contract manager"
        case .trainingManager: "Training manager"
        case .auditor: "Auditor"
        case .partnershipAnalyst: "Partnership analyst"
        case .dataProtectionOfficer: "Data protection officer"
        case .partner: "Partner organisation staff"
        }
    }

    /// One line on what the role is for, shown on the home page and the user pages.
    public var purpose: String {
        switch self {
        case .administrator:
            "Configures Lantern and manages people and teams. Sees no case content."
        case .safeguardingLead:
            "Oversees concerns and cases across teams, NRM referrals and Duty to Notify."
        case .caseworker:
            "Works the concerns and cases assigned to them or their team."
        case .procurementOfficer:
            "Runs supplier due diligence, statement checks and contract risk assessment."
        case .contractManager:
            "Manages contracts: annual reviews, risk registers, action plans and KPIs."
        case .trainingManager:
            "Sets training requirements and tracks completion across the organisation."
        case .auditor:
            "Reads the audit log and the programme's records. Changes nothing."
        case .partnershipAnalyst:
            "Sees anonymised, suppressed partnership statistics and the partners' data returns, and enters returns for partners. Sees no case."
        case .dataProtectionOfficer:
            "Answers subject access, rectification, erasure and restriction requests, and keeps the disclosure log."
        case .partner:
            "Works for a partner organisation: submits its data returns and sees the published partnership picture. Sees no council case."
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
