/// The 11 sentence-level labels of the AIMS.au dataset, in the dataset's column order.
///
/// Source: `shared/docs/domain/statements.md` §4 (AIMS.au, ICLR 2025). Each label asks
/// whether a sentence is *relevant* to the criterion, not whether the criterion is met.
public enum AIMSLabel: Int, CaseIterable, Codable, Sendable {
    case approval, signature, c1ReportingEntity, c2Structure, c2Operations, c2SupplyChains
    case c3RiskDescription, c4RiskMitigation, c4Remediation, c5Effectiveness, c6Consultation

    /// The column name used by the dataset and by `check-statement --sentences` output.
    public var columnName: String {
        ["Approval", "Signature", "C1 (reporting entity)", "C2 (structure)", "C2 (operations)",
         "C2 (supply chains)", "C3 (risk description)", "C4 (risk mitigation)", "C4 (remediation)",
         "C5 (effectiveness)", "C6 (consultation)"][rawValue]
    }

    /// C1 and C6 are Australian-only; the other nine are shared with UK statements
    /// (statements.md §4, "UK and Canadian sets").
    public var sharedWithUK: Bool { self != .c1ReportingEntity && self != .c6Consultation }

    public var summary: String {
        switch self {
        case .approval: "Approved by the principal governing body"
        case .signature: "Signed by a responsible member (director or equivalent)"
        case .c1ReportingEntity: "Names the reporting entity"
        case .c2Structure: "Describes the organisation's structure"
        case .c2Operations: "Describes the organisation's own operations"
        case .c2SupplyChains: "Describes its supply chains"
        case .c3RiskDescription: "Describes specific modern slavery risks"
        case .c4RiskMitigation: "Describes actions taken to assess and address risks"
        case .c4Remediation: "Describes remediation of cases"
        case .c5Effectiveness: "Explains how effectiveness is assessed"
        case .c6Consultation: "Describes consultation with owned or controlled entities"
        }
    }
}
