/// What an information-sharing agreement rests on and covers, and when it is in force.
///
/// Sources: UK GDPR Articles 6(1) and 9(2), the Data Protection Act 2018 Schedule 1 conditions
/// (Part 2 paragraph 18, safeguarding of children and of individuals at risk, is the usual one
/// for modern slavery), and `shared/docs/domain/security.md` §2 (special category data, need to
/// know, the disclosure log). The partnership issue: a case is shared only under an agreement in
/// force, and only the parts the case owner picks.
public enum SharingRules {
    /// UK GDPR Art. 6(1) bases, keyed as the disclosure log keys them.
    public static let article6: [(key: String, label: String)] = [
        ("public_task", "Art. 6(1)(e) public task (statutory safeguarding duties)"),
        ("legal_obligation", "Art. 6(1)(c) legal obligation"),
        ("vital_interests", "Art. 6(1)(d) vital interests"),
        ("consent", "Art. 6(1)(a) consent"),
    ]

    /// UK GDPR Art. 9(2) conditions for special category data.
    public static let article9: [(key: String, label: String)] = [
        ("substantial_public_interest", "Art. 9(2)(g) substantial public interest (with a Schedule 1 Part 2 condition)"),
        ("social_protection", "Art. 9(2)(b) employment, social security and social protection law"),
        ("vital_interests", "Art. 9(2)(c) vital interests"),
        ("health_social_care", "Art. 9(2)(h) health or social care"),
        ("explicit_consent", "Art. 9(2)(a) explicit consent"),
        ("none", "No special category data is shared"),
    ]

    /// Data Protection Act 2018 Schedule 1 conditions.
    public static let schedule1: [(key: String, label: String)] = [
        ("p2_18_safeguarding", "Schedule 1 Part 2 para 18: safeguarding of children and of individuals at risk"),
        ("p2_6_statutory", "Schedule 1 Part 2 para 6: statutory and government purposes"),
        ("p2_10_unlawful_acts", "Schedule 1 Part 2 para 10: preventing or detecting unlawful acts"),
        ("p1_2_health_social_care", "Schedule 1 Part 1 para 2: health or social care purposes"),
        ("p1_1_social_protection", "Schedule 1 Part 1 para 1: employment, social security and social protection"),
        ("none", "None needed"),
    ]

    /// The parts of a case that can be shared, each a data category an agreement may cover.
    public enum Part: String, CaseIterable, Codable, Sendable {
        case identity, contact, exploitation, referrals, markers

        public var label: String {
            switch self {
            case .identity: "Identity: name, other names, date of birth, age, gender, nationality"
            case .contact: "Contact details and safe contact arrangements"
            case .exploitation: "The exploitation: types, where, the account and indicators seen (special category)"
            case .referrals: "NRM referrals and Duty to Notify: their state and decisions"
            case .markers: "Risk markers (for example, a risk to staff)"
            }
        }

        public var short: String {
            switch self {
            case .identity: "identity"
            case .contact: "contact details"
            case .exploitation: "the exploitation"
            case .referrals: "referrals and decisions"
            case .markers: "risk markers"
            }
        }
    }

    /// In force on `day`: started, not ended, and not past its review date (an agreement overdue
    /// for review is reviewed before anything more is shared under it).
    public static func inForce(start: Day, review: Day, end: Day?, on day: Day) -> Bool {
        start <= day && day <= review && end.map { day <= $0 } ?? true
    }

    /// The parts stored as "identity,contact", read back in order; unknown keys are dropped.
    public static func parts(_ stored: String) -> [Part] {
        let keys = Set(stored.split(separator: ",").map(String.init))
        return Part.allCases.filter { keys.contains($0.rawValue) }
    }
}
