import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A consent decision, with the wording version shown (`referrals.md` §3.4).
final class CaseConsent: Model, @unchecked Sendable {
    static let schema = "case_consents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "purpose") var purpose: String
    @Field(key: "decision") var decision: ConsentDecision
    @Field(key: "wording_version") var wordingVersion: String
    @Field(key: "method") var method: String
    @Field(key: "given_on") var givenOn: String
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "withdrawn_on") var withdrawnOn: String?
    /// How consent was withdrawn, typed by the caseworker: sealed under the case's data key, so
    /// it goes when the case's key does.
    @OptionalField(key: "withdrawal_method_sealed") var withdrawalMethodSealed: Data?

    static let purposes: [(String, String)] = [
        ("nrm", "NRM referral (the NRM and the PIN explained)"), ("msvcc_support", "Support under the MSVCC"),
        ("information_sharing", "Sharing information with partner agencies"), ("police_engagement", "Talking to the police"),
    ]
    static let methods: [(String, String)] = [("in_person", "In person"), ("via_interpreter", "Through an interpreter"), ("in_writing", "In writing")]
    /// A decision moved in with the case: how it was given is in the former system's record.
    static let formerSystem = ("former_system", "Recorded in the system the case was moved in from")
    init() {}

    func withdrawalMethod(caseKey: SymmetricKey) throws -> String? {
        try withdrawalMethodSealed.map {
            try FieldCipher.open($0, with: caseKey, table: Self.schema, column: "withdrawal_method", recordID: id!.uuidString)
        }
    }

    func setWithdrawalMethod(_ text: String, caseKey: SymmetricKey) throws {
        withdrawalMethodSealed = try FieldCipher.seal(text, with: caseKey, table: Self.schema, column: "withdrawal_method", recordID: id!.uuidString)
    }
}

extension CaseConsent: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] {
        [$id, $safeguardingCase, $purpose, $decision, $wordingVersion, $method, $givenOn, $recordedBy, $recordedAt, $withdrawnOn, $withdrawalMethodSealed]
    }
    static let columnNames = ["id", "case_id", "purpose", "decision", "wording_version", "method", "given_on", "recorded_by", "recorded_at",
                              "withdrawn_on", "withdrawal_method_sealed"]
}
