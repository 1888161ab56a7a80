import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// An NRM referral or a Duty to Notify notification: both are made to the Home Office, and
/// follow one lifecycle (`referrals.md` §3.5, §3.6, §4.2).
final class HomeOfficeReferral: SealedModel, @unchecked Sendable {
    static let schema = "nrm_notifications"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "kind") var kind: NotificationKind
    @Field(key: "state") var state: NRMState
    @Field(key: "started_on") var startedOn: String
    @OptionalField(key: "submitted_on") var submittedOn: String?
    @OptionalField(key: "rg_decision_on") var rgDecisionOn: String?
    @OptionalField(key: "cg_decision_on") var cgDecisionOn: String?
    @OptionalField(key: "reconsidering") var reconsidering: DecisionStage?
    @Field(key: "combined_decision") var combinedDecision: Bool
    /// The latest Reasonable and Conclusive Grounds outcomes (true for positive), for the statistics.
    @OptionalField(key: "rg_positive") var rgPositive: Bool?
    @OptionalField(key: "cg_positive") var cgPositive: Bool?
    @Field(key: "anonymous") var anonymous: Bool
    @OptionalField(key: "due_on") var dueOn: String?
    /// Blind index of the Home Office reference.
    @OptionalField(key: "reference_index") var referenceIndex: String?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable { var homeOfficeReference = "" }

    init() { wrappedKey = Data(); sealed = Data() }

    var record: NRMLifecycle.Record {
        .init(kind: kind, state: state, submittedOn: submittedOn.flatMap(Day.init(parsing:)),
              rgDecisionOn: rgDecisionOn.flatMap(Day.init(parsing:)), cgDecisionOn: cgDecisionOn.flatMap(Day.init(parsing:)),
              reconsidering: reconsidering, combinedDecision: combinedDecision, rgPositive: rgPositive, cgPositive: cgPositive)
    }

    /// Takes the state and facts of a record the lifecycle has moved on.
    func take(_ record: NRMLifecycle.Record) {
        state = record.state
        submittedOn = record.submittedOn?.iso
        rgDecisionOn = record.rgDecisionOn?.iso
        cgDecisionOn = record.cgDecisionOn?.iso
        reconsidering = record.reconsidering
        combinedDecision = record.combinedDecision
        rgPositive = record.rgPositive
        cgPositive = record.cgPositive
    }
}

/// Every move of a notification: dated, attributed, with a note.
final class HomeOfficeReferralTransition: SealedModel, @unchecked Sendable {
    static let schema = "nrm_transitions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "notification_id") var notification: HomeOfficeReferral
    @Field(key: "from_state") var from: NRMState
    @Field(key: "to_state") var to: NRMState
    @Field(key: "on_day") var onDay: String
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String
    init() { wrappedKey = Data(); sealed = Data() }
}

extension HomeOfficeReferral: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] {
        [$id, $safeguardingCase, $kind, $state, $startedOn, $submittedOn, $rgDecisionOn, $cgDecisionOn, $reconsidering, $combinedDecision,
         $rgPositive, $cgPositive, $anonymous, $dueOn, $referenceIndex, $wrappedKey, $sealed]
    }
    static let columnNames = ["id", "case_id", "kind", "state", "started_on", "submitted_on", "rg_decision_on", "cg_decision_on", "reconsidering",
                              "combined_decision", "rg_positive", "cg_positive", "anonymous", "due_on", "reference_index", "wrapped_key", "sealed"]
}

extension HomeOfficeReferralTransition: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] { [$id, $notification, $from, $to, $onDay, $recordedAt, $recordedBy, $wrappedKey, $sealed] }
    static let columnNames = ["id", "notification_id", "from_state", "to_state", "on_day", "recorded_at", "recorded_by", "wrapped_key", "sealed"]
}
