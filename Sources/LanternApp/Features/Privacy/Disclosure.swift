import Fluent
import Foundation
import LanternCore
import SQLKit

/// Every disclosure of personal data outside the organisation: to whom, what, on what lawful
/// basis, when and by whom (the privacy notice's "Sharing data").
final class Disclosure: SealedModel, @unchecked Sendable {
    static let schema = "disclosures"
    @ID(key: .id) var id: UUID?
    @Field(key: "disclosed_on") var disclosedOn: String
    @Field(key: "lawful_basis") var lawfulBasis: String
    @OptionalField(key: "case_id") var caseID: UUID?
    @OptionalField(key: "request_id") var requestID: UUID?
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var recipient = ""
        var what = ""
    }

    /// UK GDPR Art. 6(1) bases, and Art. 9(2) conditions for special category data.
    static let bases = [
        ("consent", "Consent"), ("legal_obligation", "Legal obligation (for example Duty to Notify, s52 MSA 2015)"),
        ("vital_interests", "Vital interests (a risk to life or of serious harm)"), ("public_task", "Public task (statutory safeguarding duties)"),
        ("subject_access", "The person's own subject access request"), ("legal_claims", "Legal claims or proceedings"),
    ]

    init() { wrappedKey = Data(); sealed = Data() }

    /// Logs a sharing of a case's data with a partner, as it is recorded on the case.
    static func record(on db: any Database, cipher: FieldCipher, caseID: UUID?, on day: Day, recipient: String, what: String,
                       lawfulBasis: String, by user: UUID?, at now: Date) async throws {
        let d = Disclosure()
        d.disclosedOn = day.iso
        d.lawfulBasis = lawfulBasis
        d.caseID = caseID
        d.recordedBy = user
        d.recordedAt = now
        try d.seal(.init(recipient: recipient, what: what), with: cipher)
        try await d.create(on: db)
    }
}
