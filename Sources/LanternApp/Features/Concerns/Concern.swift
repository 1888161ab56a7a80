import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

/// A concern reported by staff, a partner, a supplier's worker or the public.
/// Source: `shared/docs/domain/referrals.md` §3.1 and §4.1.
final class Concern: SealedModel, @unchecked Sendable {
    static let schema = "concerns"

    @ID(key: .id) var id: UUID?
    /// A human reference with no personal data in it.
    @Field(key: "reference") var reference: String
    @Field(key: "channel") var channel: ConcernChannel
    @Field(key: "status") var status: ConcernStatus
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "acknowledge_by") var acknowledgeBy: String
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    @Field(key: "subject_kind") var subject: ConcernSubject
    @OptionalField(key: "age_category") var age: AgeCategory?
    @Field(key: "child_involved") var childInvolved: Answer
    @Field(key: "immediate_danger") var immediateDanger: Bool
    /// The routes, comma-separated, children's first.
    @Field(key: "routes") var routes: String
    @OptionalField(key: "triage_outcome") var triageOutcome: TriageOutcome?
    @OptionalParent(key: "team_id") var team: Team?
    @OptionalParent(key: "handler_id") var handler: User?
    @OptionalField(key: "reported_by") var reportedBy: UUID?
    @OptionalField(key: "supplier_id") var supplierID: UUID?
    @OptionalField(key: "contract_id") var contractID: UUID?
    @OptionalField(key: "case_id") var caseID: UUID?
    /// HMAC of the anonymous reporter's receipt code; never the code.
    @OptionalField(key: "receipt_hash") var receiptHash: String?
    @OptionalField(key: "referred_out_at") var referredOutAt: Date?
    @OptionalField(key: "last_reporter_message_at") var lastReporterMessageAt: Date?
    @OptionalField(key: "erased_at") var erasedAt: Date?
    /// Blind index of the reference in the system the concern was moved in from (`FormerReference`).
    @OptionalField(key: "former_reference_index") var formerReferenceIndex: String?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    @OptionalField(key: "updated_at") var updatedAt: Date?

    /// Everything that could identify anyone, or says what happened: encrypted.
    struct Secrets: Codable {
        var whoAtRisk = ""
        var location = ""
        var postcode = ""
        var description = ""
        var indicators: [IndicatorObservation] = []
        var otherIndicators = ""
        var policeCalled = false
        var triageRationale = ""
        /// Who the concern was handed to and their reference (referred out).
        var referredTo = ""
        var referredReference = ""
        /// The concern's reference in the system it was moved in from.
        var formerReference: String?
    }

    init() {
        wrappedKey = Data()
        sealed = Data()
    }

    var routeList: [ConcernRoute] { routes.split(separator: ",").compactMap { ConcernRoute(rawValue: String($0)) } }
    var acknowledgeByDay: Day? { Day(parsing: acknowledgeBy) }
}

extension Concern: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        updatedAt = time
    }
}
