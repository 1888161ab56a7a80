/// Section 7 of the standard Selection Questionnaire (PCR 2015, as councils use it) and the
/// checks Lantern runs on the answers. Source: `shared/docs/domain/suppliers.md` §4.
public struct SelectionQuestionnaireSeven: Sendable, Equatable, Codable {
    /// 7.1: is the supplier a relevant commercial organisation under MSA s54?
    public enum RelevantOrganisation: String, CaseIterable, Codable, Sendable {
        case yes
        case notApplicable = "not_applicable"
        public var label: String { self == .yes ? "Yes" : "Not applicable" }
    }

    /// 7.2: if so, does it comply with the s54 annual reporting requirement?
    public enum Compliant: String, CaseIterable, Codable, Sendable {
        case yes, no
        public var label: String { self == .yes ? "Yes" : "No" }
    }

    public var relevant: RelevantOrganisation
    public var compliant: Compliant?
    public var statementURL: String?
    public var explanation: String?

    public init(relevant: RelevantOrganisation, compliant: Compliant? = nil, statementURL: String? = nil, explanation: String? = nil) {
        self.relevant = relevant
        self.compliant = compliant
        self.statementURL = statementURL
        self.explanation = explanation
    }

    /// What is wrong with the answers as given, field by field (empty when complete).
    /// Yes to 7.2 needs the statement's address; No needs the explanation.
    public func problems() -> [(field: String, message: String)] {
        var problems: [(String, String)] = []
        guard relevant == .yes else { return [] }
        switch compliant {
        case nil:
            problems.append(("compliant", "Select whether the supplier complies with the s54 reporting requirement (question 7.2)"))
        case .yes?:
            let url = statementURL ?? ""
            if url.isEmpty { problems.append(("statement_url", "Enter the address of the supplier's modern slavery statement")) }
            else if !(url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://")) || url.count > 2000 {
                problems.append(("statement_url", "Enter the statement's address starting with http:// or https://"))
            }
        case .no?:
            if (explanation ?? "").isEmpty {
                problems.append(("explanation", "Explain why the supplier does not comply with the s54 reporting requirement"))
            }
        }
        return problems
    }

    /// Flags to show beside the answers, given what is known of the supplier.
    public func flags(turnover: TurnoverBand?) -> [String] {
        var flags: [String] = []
        if relevant == .notApplicable, let turnover, turnover.meetsSection54Threshold {
            flags.append("Answered not applicable to 7.1, but turnover is \(turnover.label): at or above the £36m s54 threshold")
        }
        if relevant == .yes, compliant == .no {
            flags.append("Does not comply with the s54 reporting requirement")
        }
        return flags
    }
}

/// A supplier's signed declaration that it is not involved in modern slavery and has not
/// been investigated for a modern slavery offence (the seed statements' supplier declaration).
public struct SupplierDeclaration: Sendable, Equatable, Codable {
    public var notInvolved: Bool
    public var notInvestigated: Bool
    public var signedBy: String
    public var signedRole: String
    public var signedOn: Day

    public init(notInvolved: Bool, notInvestigated: Bool, signedBy: String, signedRole: String, signedOn: Day) {
        self.notInvolved = notInvolved
        self.notInvestigated = notInvestigated
        self.signedBy = signedBy
        self.signedRole = signedRole
        self.signedOn = signedOn
    }

    /// A declaration that withholds either assurance is a finding, not a pass.
    public var isClean: Bool { notInvolved && notInvestigated }

    /// Declarations are renewed yearly, like the annual supplier assessment.
    public func isCurrent(on today: Day) -> Bool { signedOn.adding(months: 12) >= today }
}

/// Whether a supplier's statement is still current: the Home Office expects a statement within
/// six months of the financial year end it covers, so one whose period ended more than six
/// months ago has been overtaken (`shared/docs/domain/statements.md` §7, "registry year").
public enum StatementCurrency {
    public static let graceMonths = 6

    public static func isOutOfDate(periodEnd: Day, today: Day) -> Bool {
        periodEnd.adding(months: graceMonths) < today
    }
}
