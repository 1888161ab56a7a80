import Foundation

/// The kind of public body running Lantern. It decides whether the organisation may
/// make NRM referrals itself.
///
/// Source: `shared/docs/domain/README.md` (glossary, First Responder): councils are
/// First Responders; housing associations are not, and hand potential victims over to one.
public enum OrganisationKind: String, CaseIterable, Codable, Sendable {
    case council
    case housingAssociation = "housing_association"
    case other

    public var displayName: String {
        switch self {
        case .council: "Council"
        case .housingAssociation: "Housing association"
        case .other: "Other public body"
        }
    }

    /// Councils are designated First Responder organisations; housing associations are not.
    public var isFirstResponderByDefault: Bool { self == .council }

    /// Whether the kind may be recorded as a First Responder at all. "Other" covers the
    /// police, NCA, GLAA and named NGOs, which may be.
    public var mayBeFirstResponder: Bool { self != .housingAssociation }
}

/// The settings an administrator keeps for the organisation, validated as a whole.
public struct OrganisationSettingsInput: Sendable, Equatable {
    public var name: String
    public var kind: OrganisationKind?
    public var isFirstResponder: Bool
    public var financialYearEndMonth: Int?
    public var financialYearEndDay: Int?

    public init(name: String, kind: OrganisationKind?, isFirstResponder: Bool,
                financialYearEndMonth: Int?, financialYearEndDay: Int?) {
        self.name = name
        self.kind = kind
        self.isFirstResponder = isFirstResponder
        self.financialYearEndMonth = financialYearEndMonth
        self.financialYearEndDay = financialYearEndDay
    }

    /// Field name to message, in the order the form shows them.
    public func validate() -> [(field: String, message: String)] {
        var errors: [(String, String)] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.append(("name", "Enter the organisation's name"))
        } else if trimmed.count > 200 {
            errors.append(("name", "The organisation's name must be 200 characters or fewer"))
        }
        if kind == nil {
            errors.append(("kind", "Select the kind of organisation"))
        } else if let kind, isFirstResponder, !kind.mayBeFirstResponder {
            errors.append(("isFirstResponder",
                           "A housing association is not a First Responder: it hands potential victims to a council or the police"))
        }
        if let month = financialYearEndMonth, let day = financialYearEndDay {
            if !(1...12).contains(month) {
                errors.append(("financialYearEndMonth", "The month must be a number from 1 to 12"))
            } else if !(1...FinancialYear.daysIn(month: month)).contains(day) {
                errors.append(("financialYearEndDay", "The day must be a real day of that month"))
            }
        } else {
            errors.append(("financialYearEndDay", "Enter the day and month the financial year ends"))
        }
        return errors
    }
}
