import Foundation

/// A referral's history as a former system records it (submitted on, the Reasonable and
/// Conclusive Grounds decisions and their days, how it ended), replayed through the lifecycle so
/// a moved-in referral has exactly the states and facts one recorded in Lantern would have.
///
/// Every move is checked by `NRMLifecycle.apply`, so the rules are the same ones
/// (`referrals.md` §4.2): the RG decision not before submission, the CG decision not inside the
/// 30-day recovery period, move-on support of at least 45 days before closing, a Duty to Notify
/// only ever submitted and closed.
public enum ReferralHistory {
    public struct Milestones: Sendable, Equatable {
        public var kind: NotificationKind
        public var submittedOn: Day?
        public var homeOfficeReference: String?
        /// True for a positive decision.
        public var reasonableGrounds: Bool?
        public var reasonableGroundsOn: Day?
        public var conclusiveGrounds: Bool?
        public var conclusiveGroundsOn: Day?
        /// Where it stands after the decisions (move-on, withdrawn, suspended, closed...), and since when.
        public var ending: NRMState?
        public var endingOn: Day?

        public init(kind: NotificationKind, submittedOn: Day? = nil, homeOfficeReference: String? = nil,
                    reasonableGrounds: Bool? = nil, reasonableGroundsOn: Day? = nil,
                    conclusiveGrounds: Bool? = nil, conclusiveGroundsOn: Day? = nil, ending: NRMState? = nil, endingOn: Day? = nil) {
            self.kind = kind
            self.submittedOn = submittedOn
            self.homeOfficeReference = homeOfficeReference
            self.reasonableGrounds = reasonableGrounds
            self.reasonableGroundsOn = reasonableGroundsOn
            self.conclusiveGrounds = conclusiveGrounds
            self.conclusiveGroundsOn = conclusiveGroundsOn
            self.ending = ending
            self.endingOn = endingOn
        }
    }

    public struct Step: Sendable, Equatable {
        public var state: NRMState
        public var on: Day
    }

    public struct Replayed: Sendable, Equatable {
        public var record: NRMLifecycle.Record
        public var steps: [Step]
    }

    /// The states a history may end in after its decisions.
    public static let endings: [NRMState] = [.moveOn, .reconsiderationRequested, .suspended, .consentRequiredAt18, .withdrawn, .closed]

    /// Replays the history from a draft, recording the states that follow on their own on the way
    /// (awaiting RG, the recovery period, awaiting CG; move-on before a positive CG case closes).
    public static func replay(_ m: Milestones, today: Day) -> Result<Replayed, TransitionRefusal> {
        var targets: [(NRMState, Day)] = []
        if let day = m.submittedOn { targets.append((.submitted, day)) }
        if let positive = m.reasonableGrounds {
            guard let day = m.reasonableGroundsOn else { return .failure(.init("Give the day of the Reasonable Grounds decision")) }
            targets.append((positive ? .rgPositive : .rgNegative, day))
        } else if m.reasonableGroundsOn != nil {
            return .failure(.init("A Reasonable Grounds day is given without the decision (positive or negative)"))
        }
        if let positive = m.conclusiveGrounds {
            guard let day = m.conclusiveGroundsOn else { return .failure(.init("Give the day of the Conclusive Grounds decision")) }
            targets.append((positive ? .cgPositive : .cgNegative, day))
        } else if m.conclusiveGroundsOn != nil {
            return .failure(.init("A Conclusive Grounds day is given without the decision (positive or negative)"))
        }
        if let ending = m.ending {
            guard endings.contains(ending) else {
                return .failure(.init("A referral's history ends in one of: \(endings.map(\.rawValue).joined(separator: ", "))"))
            }
            guard let day = m.endingOn ?? targets.last?.1 else { return .failure(.init("Give the day the referral reached \"\(ending.label)\"")) }
            targets.append((ending, day))
        }
        if targets.first?.0 != .submitted && targets.first?.0 != .withdrawn && !targets.isEmpty {
            return .failure(.init("A decision needs the day the referral was submitted"))
        }
        var record = NRMLifecycle.Record(kind: m.kind, state: .draft)
        var steps: [Step] = []
        for (target, day) in targets {
            if let last = steps.last, day < last.on {
                return .failure(.init("\"\(target.label)\" on \(day.iso) is before \"\(last.state.label)\" on \(last.on.iso)"))
            }
            guard let route = self.route(from: record, to: target) else {
                let options = NRMLifecycle.reachable(from: record.state, kind: m.kind, reconsidering: record.reconsidering)
                return .failure(.init("\(m.kind == .nrm ? "An" : "A") \(m.kind.label) cannot go from \"\(record.state.label)\" to \"\(target.label)\""
                    + (options.isEmpty ? "" : "; from there it can go to: \(options.map(\.label).joined(separator: ", "))")))
            }
            for state in route {
                let on = state == target ? day : state == .moveOn ? (record.cgDecisionOn ?? day)
                    : NRMLifecycle.dayPassedThrough(state, record: record, decisionDay: day)
                let move = NRMLifecycle.Move(to: state, on: on, homeOfficeReference: m.homeOfficeReference)
                switch NRMLifecycle.apply(move, to: record, today: today) {
                case .success(let next): record = next; steps.append(Step(state: state, on: on))
                case .failure(let refusal): return .failure(refusal)
                }
            }
        }
        return .success(Replayed(record: record, steps: steps))
    }

    /// The lifecycle's own route; a positive CG that closes passes through move-on support first.
    static func route(from record: NRMLifecycle.Record, to target: NRMState) -> [NRMState]? {
        if let route = NRMLifecycle.route(from: record.state, to: target, kind: record.kind, reconsidering: record.reconsidering) { return route }
        if record.state == .cgPositive, target == .closed { return [.moveOn, .closed] }
        return nil
    }
}
