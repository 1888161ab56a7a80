import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A local action: a safeguarding referral or a partner agency involved (`referrals.md` §3.7).
final class CaseAction: SealedModel, @unchecked Sendable {
    static let schema = "case_actions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "kind") var kind: String
    @Field(key: "sent_on") var sentOn: String
    @Field(key: "status") var status: CaseActionStatus
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var recipient = ""
        var theirReference = ""
        var outcome = ""
    }

    static let kinds: [(String, String)] = [
        ("mash_or_csc_referral", "MASH or children's social care referral"), ("ictg_referral", "ICTG referral"),
        ("asc_safeguarding_concern", "Adult social care safeguarding concern (s42)"), ("police_report", "Report to the police"),
        ("msvcc_emergency_support", "MSVCC emergency support (The Salvation Army)"), ("housing", "Housing or homelessness"),
        ("support_organisation", "Support organisation"), ("first_responder_handover", "Hand-over to a First Responder"),
        ("partner_agency", "Partner agency involved"), ("other", "Other"),
    ]
    init() { wrappedKey = Data(); sealed = Data() }
}

/// Where a local action (a referral, a report to the police) has reached. Stored as its raw text.
enum CaseActionStatus: String, Codable, CaseIterable, Sendable {
    case sent, accepted, declined, closed
}

extension CaseAction: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] { [$id, $safeguardingCase, $kind, $sentOn, $status, $recordedBy, $wrappedKey, $sealed] }
    static let columnNames = ["id", "case_id", "kind", "sent_on", "status", "recorded_by", "wrapped_key", "sealed"]
}
