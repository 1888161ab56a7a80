/// Who reported a concern (`shared/docs/domain/referrals.md` §3.1 `channel`).
public enum ConcernChannel: String, CaseIterable, Codable, Sendable {
    case staff
    case partnerAgency = "partner_agency"
    case housingAssociation = "housing_association"
    case supplierOrContractor = "supplier_or_contractor"
    case publicNamed = "public_named"
    case publicAnonymous = "public_anonymous"
    case selfReport = "self_report"

    public var label: String {
        switch self {
        case .staff: "Member of staff"
        case .partnerAgency: "Partner agency"
        case .housingAssociation: "Housing association"
        case .supplierOrContractor: "Supplier or contractor (or their worker)"
        case .publicNamed: "Member of the public (named)"
        case .publicAnonymous: "Member of the public (anonymous)"
        case .selfReport: "The person themselves"
        }
    }

    /// The "where the concern came from" cut of the partnership statistics.
    public var source: String {
        switch self {
        case .staff: "staff"
        case .partnerAgency, .housingAssociation: "partner"
        case .supplierOrContractor: "supplier"
        case .publicNamed, .publicAnonymous, .selfReport: "public"
        }
    }
}

/// What a concern is about (`referrals.md` §3.1 `subjectKind`).
public enum ConcernSubject: String, CaseIterable, Codable, Sendable {
    case person, premises
    case businessOrSupplier = "business_or_supplier"
    case unknown

    public var label: String {
        switch self {
        case .person: "A person or people"
        case .premises: "A place or premises"
        case .businessOrSupplier: "A business, supplier or contractor"
        case .unknown: "Not sure"
        }
    }
}

/// The concern lifecycle: `received → acknowledged → triaged → caseOpened | referredOut |
/// noFurtherAction → closed` (`referrals.md` §4.1).
public enum ConcernStatus: String, CaseIterable, Codable, Sendable {
    case received, acknowledged, triaged
    case caseOpened = "case_opened"
    case referredOut = "referred_out"
    case noFurtherAction = "no_further_action"
    case closed

    public var label: String {
        switch self {
        case .received: "Received"
        case .acknowledged: "Acknowledged"
        case .triaged: "Triaged"
        case .caseOpened: "Case opened"
        case .referredOut: "Referred out"
        case .noFurtherAction: "No further action"
        case .closed: "Closed"
        }
    }

    public var next: [ConcernStatus] {
        switch self {
        case .received: [.acknowledged]
        case .acknowledged: [.triaged]
        case .triaged: [.caseOpened, .referredOut, .noFurtherAction]
        case .caseOpened, .referredOut, .noFurtherAction: [.closed]
        case .closed: []
        }
    }

    public var isOpen: Bool { self != .closed }
}

/// The outcome of triage, with its rationale (`referrals.md` §3.1 `triageOutcome`).
public enum TriageOutcome: String, CaseIterable, Codable, Sendable {
    case openCase = "open_case"
    case referToFirstResponder = "refer_to_first_responder"
    case referToPolice = "refer_to_police"
    case referToHelpline = "refer_to_helpline"
    case supplierAction = "supplier_action"
    case noFurtherAction = "no_further_action"

    public var label: String {
        switch self {
        case .openCase: "Open a case"
        case .referToFirstResponder: "Refer to a First Responder"
        case .referToPolice: "Refer to the police"
        case .referToHelpline: "Refer to the Modern Slavery & Exploitation Helpline"
        case .supplierAction: "Action with the supplier (procurement)"
        case .noFurtherAction: "No further action"
        }
    }

    /// The status a concern takes when triage ends with this outcome.
    public var resultingStatus: ConcernStatus {
        switch self {
        case .openCase: .caseOpened
        case .referToFirstResponder, .referToPolice, .referToHelpline: .referredOut
        case .supplierAction: .triaged
        case .noFurtherAction: .noFurtherAction
        }
    }
}

/// Where a concern goes for safeguarding or action. A concern may need several.
public enum ConcernRoute: String, CaseIterable, Codable, Sendable, Comparable {
    case childrensSafeguarding = "childrens_safeguarding"
    case adultSafeguarding = "adult_safeguarding"
    case procurement

    public var label: String {
        switch self {
        case .childrensSafeguarding: "Children's safeguarding (MASH)"
        case .adultSafeguarding: "Adult social care"
        case .procurement: "Procurement"
        }
    }

    /// The standard team that handles the route (`Team.standardNames` in the app).
    public var teamName: String {
        switch self {
        case .childrensSafeguarding: "Children's Social Care"
        case .adultSafeguarding: "Adult Social Care"
        case .procurement: "Procurement"
        }
    }

    public static func < (a: ConcernRoute, b: ConcernRoute) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Routing and deadlines for concerns.
///
/// Sources: `referrals.md` §1 rule 2 (under 18 or age unknown is treated as a child, s51),
/// §3.1 (`childInvolved = unknown` is routed as a child; a supplier or contract routes to its
/// owner; acknowledge within 7 days; referred-out outcome prompt after 28 days).
public enum ConcernRules {
    public static let acknowledgementDays = 7
    public static let referredOutFollowUpDays = 28
    /// The Home Office limit on each free-text answer.
    public static let maximumTextLength = 15_000

    public struct Facts: Sendable, Equatable {
        public var age: AgeCategory?
        public var childInvolved: Answer
        public var indicatorIDs: Set<String>
        public var subject: ConcernSubject
        public var aboutSupplierOrContract: Bool

        public init(age: AgeCategory?, childInvolved: Answer, indicatorIDs: Set<String> = [],
                    subject: ConcernSubject = .person, aboutSupplierOrContract: Bool = false) {
            self.age = age
            self.childInvolved = childInvolved
            self.indicatorIDs = indicatorIDs
            self.subject = subject
            self.aboutSupplierOrContract = aboutSupplierOrContract
        }
    }

    /// Every route the concern needs, in a fixed order (children first).
    public static func routes(for facts: Facts) -> [ConcernRoute] {
        var routes = Set<ConcernRoute>()
        let childSigns = IndicatorCatalogue.includesChildIndicator(facts.indicatorIDs)
        let ageKnown = facts.age == .under18 || facts.age == .adult
        if facts.aboutSupplierOrContract || facts.subject == .businessOrSupplier {
            routes.insert(.procurement)
        }
        // A concern about a business's practices with nothing said about any person stays
        // with procurement alone.
        let aboutPeople = facts.subject != .businessOrSupplier || facts.age != nil
            || facts.childInvolved == .yes || childSigns || !facts.indicatorIDs.isEmpty
        guard aboutPeople else { return routes.sorted() }
        // A child: under 18, a child said to be involved, or age not known with child signs or
        // child involvement not ruled out (treated as a child until assessed).
        if facts.age == .under18 || facts.childInvolved == .yes
            || (!ageKnown && (childSigns || facts.childInvolved == .notSure)) {
            routes.insert(.childrensSafeguarding)
        }
        // An adult: a known adult, or age not known with no sign of a child.
        if facts.age == .adult || (!ageKnown && facts.childInvolved == .no && !childSigns) {
            routes.insert(.adultSafeguarding)
        }
        return routes.sorted()
    }

    public static func acknowledgeBy(received: Day) -> Day { received.adding(days: acknowledgementDays) }
}

/// What must happen for one potential victim, given the organisation and the person.
///
/// Source: `referrals.md` §1 rule 2 (route by age and consent), rule 4 (an NRM referral
/// discharges s52: never a DtN as well), §2 (organisations that are not First Responders
/// record the hand-over to one).
public enum VictimDecision: Equatable, Sendable {
    /// NRM referral; `consentNeeded` is false for a child.
    case nrmReferral(consentNeeded: Bool)
    /// Duty to Notify for an adult who does not consent; anonymous unless they agree to co-operate.
    case dutyToNotify(identifiable: Bool)
    /// Ask the adult for informed consent (after explaining the NRM and the PIN) first.
    case askForConsent
    /// Not a First Responder: hand over to the council or the police and record when.
    case handOverToFirstResponder

    public static func decide(isFirstResponder: Bool, age: AgeCategory, nrmConsent: ConsentDecision?,
                              willingToCooperate: Bool = false) -> VictimDecision {
        guard isFirstResponder else { return .handOverToFirstResponder }
        if age.treatedAsChild { return .nrmReferral(consentNeeded: false) }
        switch nrmConsent {
        case .given: return .nrmReferral(consentNeeded: true)
        case .refused: return .dutyToNotify(identifiable: willingToCooperate)
        case .notAsked, nil: return .askForConsent
        }
    }

    public var summary: String {
        switch self {
        case .nrmReferral(false): "NRM referral: a child (or age not known) is referred without needing consent. Make the local-authority safeguarding referral first."
        case .nrmReferral(true): "NRM referral: the adult has given informed consent."
        case .dutyToNotify(false): "Duty to Notify: the adult has not consented. Send it without identifying details."
        case .dutyToNotify(true): "Duty to Notify: the adult has not consented to the NRM but agrees to co-operate, so identifying details may be included."
        case .askForConsent: "Explain the NRM and the PIN, then record the adult's decision on consent."
        case .handOverToFirstResponder: "This organisation is not a First Responder: hand the potential victim over to one (the council's MASH or adult social care, or the police) and record the date."
        }
    }
}

/// An adult's answer on NRM consent (`referrals.md` §3.4 `nrmConsent`).
public enum ConsentDecision: String, CaseIterable, Codable, Sendable {
    case given, refused
    case notAsked = "not_asked"

    public var label: String {
        switch self {
        case .given: "Given"
        case .refused: "Refused"
        case .notAsked: "Not asked yet"
        }
    }
}
