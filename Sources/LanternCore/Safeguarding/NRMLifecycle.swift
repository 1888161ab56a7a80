/// Whether a notification to the Home Office is an NRM referral or a Duty to Notify.
public enum NotificationKind: String, CaseIterable, Codable, Sendable {
    case nrm
    case dutyToNotify = "duty_to_notify"

    public var label: String {
        switch self {
        case .nrm: "NRM referral"
        case .dutyToNotify: "Duty to Notify notification"
        }
    }
}

/// The states of an NRM referral (and the three a Duty to Notify uses).
///
/// Source: `shared/docs/domain/referrals.md` §4.2.
public enum NRMState: String, CaseIterable, Codable, Sendable {
    case draft, submitted
    case awaitingRG = "awaiting_rg"
    case rgPositive = "rg_positive"
    case rgNegative = "rg_negative"
    case recoveryPeriod = "recovery_period"
    case awaitingCG = "awaiting_cg"
    case cgPositive = "cg_positive"
    case cgNegative = "cg_negative"
    case moveOn = "move_on"
    case reconsiderationRequested = "reconsideration_requested"
    case suspended
    case consentRequiredAt18 = "consent_required_at_18"
    case withdrawn, closed

    public var label: String {
        switch self {
        case .draft: "Referral drafted"
        case .submitted: "Submitted"
        case .awaitingRG: "Awaiting Reasonable Grounds decision"
        case .rgPositive: "Positive Reasonable Grounds"
        case .rgNegative: "Negative Reasonable Grounds"
        case .recoveryPeriod: "Recovery period"
        case .awaitingCG: "Awaiting Conclusive Grounds decision"
        case .cgPositive: "Positive Conclusive Grounds"
        case .cgNegative: "Negative Conclusive Grounds"
        case .moveOn: "Move-on support"
        case .reconsiderationRequested: "Reconsideration requested"
        case .suspended: "Suspended by the competent authority"
        case .consentRequiredAt18: "Consent needed at 18"
        case .withdrawn: "Withdrawn"
        case .closed: "Closed"
        }
    }

    public var isFinished: Bool { self == .closed }
}

/// Which decision a reconsideration is of.
public enum DecisionStage: String, Codable, Sendable, CaseIterable {
    case rg, cg
}

/// The allowed moves between states, the facts each move needs, and the timescales.
///
/// Sources: `referrals.md` §4.2: RG target 5 working days from referral (England and Wales
/// working days, "where possible": overdue means chase); recovery period at least 30 calendar
/// days from a positive RG (the 45-day figure is outdated); no CG target; at least 45 days of
/// move-on support from a positive CG; reconsideration returns to a positive or negative
/// decision; withdrawn by the adult; suspended by the competent authority; a child turning 18
/// before the CG must consent to stay in; DtN is `draft → submitted → closed`.
public enum NRMLifecycle {
    public static let reasonableGroundsTargetWorkingDays = 5
    public static let minimumRecoveryDays = 30
    public static let minimumMoveOnDays = 45
    public static let draftReminderDays = 21
    public static let draftExpiryDays = 28
    public static let turning18AlertDays = 90

    /// The states a referral may move to next. `reconsidering` says which decision an open
    /// reconsideration is of; `resumeTo` is the stage a suspended referral returns to.
    public static func allowedNext(from state: NRMState, kind: NotificationKind,
                                   reconsidering: DecisionStage? = nil) -> [NRMState] {
        if kind == .dutyToNotify {
            switch state {
            case .draft: return [.submitted, .withdrawn]
            case .submitted: return [.closed]
            case .withdrawn: return [.closed]
            default: return []
            }
        }
        switch state {
        case .draft: return [.submitted, .withdrawn]
        case .submitted: return [.awaitingRG, .withdrawn]
        // A devolved-pilot panel may issue RG and CG together.
        case .awaitingRG: return [.rgPositive, .rgNegative, .cgPositive, .cgNegative, .suspended, .withdrawn]
        case .rgPositive: return [.recoveryPeriod, .withdrawn]
        case .rgNegative: return [.reconsiderationRequested, .closed]
        case .recoveryPeriod: return [.awaitingCG, .consentRequiredAt18, .suspended, .withdrawn]
        case .awaitingCG: return [.cgPositive, .cgNegative, .consentRequiredAt18, .suspended, .withdrawn]
        case .cgPositive: return [.moveOn]
        case .cgNegative: return [.reconsiderationRequested, .closed]
        case .moveOn: return [.closed]
        case .reconsiderationRequested:
            switch reconsidering {
            case .rg: return [.rgPositive, .rgNegative]
            case .cg: return [.cgPositive, .cgNegative]
            case nil: return [.rgPositive, .rgNegative, .cgPositive, .cgNegative]
            }
        case .suspended: return [.awaitingRG, .awaitingCG, .withdrawn, .closed]
        case .consentRequiredAt18: return [.awaitingCG, .withdrawn]
        case .withdrawn: return [.closed]
        case .closed: return []
        }
    }

    /// States that follow on their own from the one before (a submitted referral awaits its
    /// RG decision; a positive RG starts the recovery period, which then awaits the CG), so a
    /// form recording a decision may pass through them rather than asking for each in turn.
    public static let passedThrough: [NRMState] = [.awaitingRG, .recoveryPeriod, .awaitingCG]

    /// The moves that take a referral from `state` to `target`: the direct move where there is
    /// one, otherwise the shortest way through `passedThrough` states; nil where there is none.
    public static func route(from state: NRMState, to target: NRMState, kind: NotificationKind,
                             reconsidering: DecisionStage? = nil) -> [NRMState]? {
        var paths: [[NRMState]] = [[]]
        var seen: Set<NRMState> = [state]
        while !paths.isEmpty {
            var longer: [[NRMState]] = []
            for path in paths {
                let from = path.last ?? state
                for next in allowedNext(from: from, kind: kind, reconsidering: path.isEmpty ? reconsidering : nil) {
                    if next == target { return path + [next] }
                    if passedThrough.contains(next), seen.insert(next).inserted { longer.append(path + [next]) }
                }
            }
            paths = longer
        }
        return nil
    }

    /// Every state a form can record from `state`: the direct moves first, then those reached
    /// through `passedThrough` states, in lifecycle order.
    public static func reachable(from state: NRMState, kind: NotificationKind, reconsidering: DecisionStage? = nil) -> [NRMState] {
        let direct = allowedNext(from: state, kind: kind, reconsidering: reconsidering)
        let further = NRMState.allCases.filter { !direct.contains($0) && $0 != state && route(from: state, to: $0, kind: kind, reconsidering: reconsidering) != nil }
        return direct + further
    }

    /// The date a passed-through state is recorded on, given the decision's date: when it
    /// began (the submission, the RG decision, the end of the minimum recovery period).
    public static func dayPassedThrough(_ state: NRMState, record: Record, decisionDay: Day) -> Day {
        switch state {
        case .awaitingRG: return min(record.submittedOn ?? decisionDay, decisionDay)
        case .recoveryPeriod: return min(record.rgDecisionOn ?? decisionDay, decisionDay)
        case .awaitingCG: return min((record.rgDecisionOn ?? decisionDay).adding(days: minimumRecoveryDays), decisionDay)
        default: return decisionDay
        }
    }

    /// The facts recorded so far on a referral, which some moves check.
    public struct Record: Sendable, Equatable {
        public var kind: NotificationKind
        public var state: NRMState
        public var submittedOn: Day?
        public var rgDecisionOn: Day?
        public var cgDecisionOn: Day?
        public var reconsidering: DecisionStage?
        public var combinedDecision: Bool
        /// The latest Reasonable and Conclusive Grounds outcomes (true for positive), kept apart
        /// from the state because the state moves on (to the recovery period, move-on, closed).
        public var rgPositive: Bool?
        public var cgPositive: Bool?

        public init(kind: NotificationKind, state: NRMState, submittedOn: Day? = nil, rgDecisionOn: Day? = nil,
                    cgDecisionOn: Day? = nil, reconsidering: DecisionStage? = nil, combinedDecision: Bool = false,
                    rgPositive: Bool? = nil, cgPositive: Bool? = nil) {
            self.rgPositive = rgPositive
            self.cgPositive = cgPositive
            self.kind = kind
            self.state = state
            self.submittedOn = submittedOn
            self.rgDecisionOn = rgDecisionOn
            self.cgDecisionOn = cgDecisionOn
            self.reconsidering = reconsidering
            self.combinedDecision = combinedDecision
        }
    }

    /// What a move brings with it.
    public struct Move: Sendable, Equatable {
        public var to: NRMState
        public var on: Day
        public var homeOfficeReference: String?
        public var reconsideration: DecisionStage?

        public init(to: NRMState, on: Day, homeOfficeReference: String? = nil, reconsideration: DecisionStage? = nil) {
            self.to = to
            self.on = on
            self.homeOfficeReference = homeOfficeReference
            self.reconsideration = reconsideration
        }
    }

    /// Applies a move, or says in one sentence why it is not possible.
    public static func apply(_ move: Move, to record: Record, today: Day) -> Result<Record, TransitionRefusal> {
        let allowed = allowedNext(from: record.state, kind: record.kind, reconsidering: record.reconsidering)
        guard allowed.contains(move.to) else {
            let options = allowed.map(\.label).joined(separator: ", ")
            return .failure(TransitionRefusal(
                "A \(record.kind.label) cannot go from \"\(record.state.label)\" to \"\(move.to.label)\". "
                    + (options.isEmpty ? "It is finished." : "From here it can go to: \(options).")))
        }
        if move.on > today { return .failure(TransitionRefusal("The date cannot be in the future")) }
        var next = record
        next.state = move.to
        switch move.to {
        case .submitted:
            if record.kind == .nrm, (move.homeOfficeReference ?? "").isEmpty {
                return .failure(TransitionRefusal("Enter the Home Office reference the referral service gave on submission"))
            }
            next.submittedOn = move.on
        case .rgPositive, .rgNegative:
            if let submitted = record.submittedOn, move.on < submitted {
                return .failure(TransitionRefusal("The Reasonable Grounds decision cannot be dated before the referral was submitted (\(submitted.long))"))
            }
            next.rgDecisionOn = move.on
            next.rgPositive = move.to == .rgPositive
            next.reconsidering = nil
        case .cgPositive, .cgNegative:
            if record.state == .awaitingRG || (record.reconsidering == nil && record.rgDecisionOn == nil) {
                // A combined RG and CG decision from a devolved-pilot panel.
                next.combinedDecision = true
                next.rgDecisionOn = move.on
                next.rgPositive = move.to == .cgPositive
            } else if let rg = record.rgDecisionOn, record.reconsidering == nil {
                let recoveryEnds = rg.adding(days: minimumRecoveryDays)
                if move.on < recoveryEnds {
                    return .failure(TransitionRefusal(
                        "The recovery period lasts at least \(minimumRecoveryDays) days from the positive Reasonable Grounds decision, so a Conclusive Grounds decision cannot be dated before \(recoveryEnds.long)"))
                }
            }
            next.cgDecisionOn = move.on
            next.cgPositive = move.to == .cgPositive
            next.reconsidering = nil
        case .reconsiderationRequested:
            let stage: DecisionStage = record.state == .rgNegative ? .rg : .cg
            next.reconsidering = move.reconsideration ?? stage
        case .closed where record.state == .moveOn:
            if let cg = record.cgDecisionOn, move.on < cg.adding(days: minimumMoveOnDays) {
                return .failure(TransitionRefusal(
                    "Move-on support lasts at least \(minimumMoveOnDays) days from the positive Conclusive Grounds decision; the case can close from \(cg.adding(days: minimumMoveOnDays).long)"))
            }
        default:
            break
        }
        return .success(next)
    }

    /// The date the Reasonable Grounds decision is due ("where possible").
    public static func reasonableGroundsDue(submitted: Day) -> Day {
        EnglandAndWalesCalendar.adding(workingDays: reasonableGroundsTargetWorkingDays, to: submitted)
    }

    /// A dated thing to do on a referral, shown on home pages and the case.
    public struct Deadline: Sendable, Equatable {
        public var what: String
        public var due: Day
        /// Past due. For the RG target this means "chase", not "breach".
        public var overdue: Bool
    }

    public static func deadline(for record: Record, today: Day, draftStarted: Day? = nil) -> Deadline? {
        switch record.state {
        case .draft:
            guard let started = draftStarted else { return nil }
            let due = started.adding(days: draftReminderDays)
            return Deadline(what: "Finish or withdraw the draft referral (drafts lapse after \(draftExpiryDays) days)", due: due, overdue: today > due)
        case .submitted, .awaitingRG:
            guard record.kind == .nrm, let submitted = record.submittedOn else { return nil }
            let due = reasonableGroundsDue(submitted: submitted)
            return Deadline(what: "Reasonable Grounds decision expected (5 working days); chase the competent authority if late", due: due, overdue: today > due)
        case .rgPositive, .recoveryPeriod:
            guard let rg = record.rgDecisionOn else { return nil }
            return Deadline(what: "Recovery period runs to at least this date", due: rg.adding(days: minimumRecoveryDays), overdue: false)
        case .cgPositive, .moveOn:
            guard let cg = record.cgDecisionOn else { return nil }
            return Deadline(what: "Move-on support runs to at least this date; plan the move on", due: cg.adding(days: minimumMoveOnDays), overdue: false)
        default:
            return nil
        }
    }
}

public struct TransitionRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
