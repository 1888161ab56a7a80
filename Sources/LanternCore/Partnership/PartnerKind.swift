/// The kinds of organisation in a local modern slavery partnership: the council's own
/// departments work in Lantern directly; these are the others who share figures and cases.
///
/// Source: the London borough's strategy proposal (`shared/seeds/004_c8431f99db401eb8.txt`: the
/// police, the Gangmasters and Labour Abuse Authority, the fire brigade, Immigration and voluntary
/// groups) and the metropolitan borough's statement (`003_cb3703bc337639d5.txt`: the police's
/// enquiry figures as the local picture).
public enum PartnerKind: String, CaseIterable, Codable, Sendable {
    case police
    case glaa
    case fire
    case immigration
    case health
    case voluntary
    case council
    case other

    public var label: String {
        switch self {
        case .police: "Police"
        case .glaa: "Gangmasters and Labour Abuse Authority"
        case .fire: "Fire and rescue service"
        case .immigration: "Immigration Enforcement"
        case .health: "Health (NHS, GP, hospital)"
        case .voluntary: "Voluntary or community group"
        case .council: "Another council"
        case .other: "Other"
        }
    }

    /// What a record from this kind of partner usually is, offered as the default source kind.
    public var usualSource: String {
        switch self {
        case .police: "police enquiry"
        case .glaa: "GLAA investigation"
        case .fire: "fire service referral"
        case .immigration: "immigration encounter"
        case .health: "health referral"
        case .voluntary: "support referral"
        case .council: "council case"
        case .other: "partner referral"
        }
    }
}

/// What became of a partner's record, as far as the partner knows.
public enum ReturnOutcome: String, CaseIterable, Codable, Sendable {
    case nrmReferral = "nrm_referral"
    case dutyToNotify = "duty_to_notify"
    case investigation
    case charged
    case safeguarding
    case noFurtherAction = "no_further_action"
    case ongoing
    case unknown

    public var label: String {
        switch self {
        case .nrmReferral: "NRM referral"
        case .dutyToNotify: "Duty to Notify"
        case .investigation: "Criminal investigation"
        case .charged: "Charge or prosecution"
        case .safeguarding: "Safeguarding support"
        case .noFurtherAction: "No further action"
        case .ongoing: "Ongoing"
        case .unknown: "Not known"
        }
    }
}

/// Age at exploitation as partners record it: a child is under 18 at the time (MSA 2015 s51,
/// `shared/docs/domain/referrals.md` §1).
public enum AgeGroup: String, CaseIterable, Codable, Sendable {
    case child, adult, unknown

    public var label: String {
        switch self {
        case .child: "Under 18"
        case .adult: "18 or over"
        case .unknown: "Not known"
        }
    }
}
