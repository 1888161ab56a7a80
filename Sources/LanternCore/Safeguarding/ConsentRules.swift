/// Which local actions depend on the adult's own consent, so that a refused or withdrawn
/// consent blocks them.
///
/// Source: `shared/docs/domain/referrals.md` §2 (an adult's NRM referral and MSVCC support need
/// their consent; a child's do not) and §7 ("NRM consent is not automatically the GDPR basis:
/// record the two separately, per purpose"). Sharing with support organisations, housing and
/// partner agencies is recorded against the information-sharing consent; reports to the police
/// and safeguarding referrals rest on statutory duties instead and are not blocked here.
public enum ConsentRules {
    /// The consent purpose an action kind depends on, for adults; nil when it rests on a duty.
    public static func purpose(forAction kind: String) -> String? {
        switch kind {
        case "msvcc_emergency_support": "msvcc_support"
        case "support_organisation", "housing", "partner_agency": "information_sharing"
        default: nil
        }
    }

    /// The lawful basis a sharing with a partner rests on, for the disclosure log (`referrals.md`
    /// §7: councils rely on public task, or legal obligation for s52 Duty to Notify; sharing that
    /// rests on the adult's consent is logged as consent).
    public static func lawfulBasis(forAction kind: String, isAdult: Bool) -> String {
        isAdult && purpose(forAction: kind) != nil ? "consent" : "public_task"
    }

    public static func lawfulBasis(forNotification kind: NotificationKind) -> String {
        kind == .dutyToNotify ? "legal_obligation" : "public_task"
    }

    /// The latest consent decision for the purpose blocks the action when it was refused or has
    /// been withdrawn. No decision on record does not block: ask, and record the answer.
    public static func blocks(actionKind: String, isAdult: Bool, latest: (decision: ConsentDecision, withdrawn: Bool)?) -> Bool {
        guard isAdult, purpose(forAction: actionKind) != nil, let latest else { return false }
        return latest.withdrawn || latest.decision == .refused
    }
}
