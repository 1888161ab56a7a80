import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A marker (risk to staff, vulnerability, do not write to this address), with who set it,
/// why and when to review it (`referrals.md` §7 markers; `security.md` §2).
final class CaseMarker: SealedModel, @unchecked Sendable {
    static let schema = "case_markers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @Field(key: "kind") var kind: String
    @Field(key: "set_by") var setBy: UUID
    @Field(key: "set_at") var setAt: Date
    @Field(key: "review_on") var reviewOn: String
    /// The day the person asked for the marker to be reviewed (the privacy notice's right to ask).
    @OptionalField(key: "review_requested_on") var reviewRequestedOn: String?
    @OptionalField(key: "removed_at") var removedAt: Date?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String

    static let kinds: [(String, String)] = [
        ("risk_to_staff", "Risk to staff"), ("vulnerability", "Vulnerability"),
        ("do_not_write", "Do not write to this address"), ("exploiter_contact", "Exploiters may have contact"),
        ("interpreter", "Needs an interpreter"), ("other", "Other"),
    ]
    init() { wrappedKey = Data(); sealed = Data() }
}

extension CaseMarker: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] { [$id, $safeguardingCase, $kind, $setBy, $setAt, $reviewOn, $reviewRequestedOn, $removedAt, $wrappedKey, $sealed] }
    static let columnNames = ["id", "case_id", "kind", "set_by", "set_at", "review_on", "review_requested_on", "removed_at", "wrapped_key", "sealed"]
}
