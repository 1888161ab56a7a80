import Fluent
import Foundation
import LanternCore
import SQLKit

/// An information-sharing agreement with one partner: its purpose, lawful basis and Schedule 1
/// condition, the categories of data it covers, and its dates (`SharingRules`).
final class SharingAgreement: Model, @unchecked Sendable {
    static let schema = "sharing_agreements"
    @ID(key: .id) var id: UUID?
    @Parent(key: "partner_id") var partner: PartnerOrganisation
    @Field(key: "purpose") var purpose: String
    @Field(key: "article6") var article6: String
    @Field(key: "article9") var article9: String
    @Field(key: "schedule1") var schedule1: String
    /// `SharingRules.Part` keys, comma-separated.
    @Field(key: "categories") var categories: String
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "review_on") var reviewOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    @Field(key: "document") var document: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    init() {}

    func inForce(on day: Day) -> Bool {
        guard let start = Day(parsing: startsOn), let review = Day(parsing: reviewOn) else { return false }
        return SharingRules.inForce(start: start, review: review, end: endsOn.flatMap { Day(parsing: $0) }, on: day)
    }

    var parts: [SharingRules.Part] { SharingRules.parts(categories) }
}

/// A case shared with a partner under an agreement: exactly the parts the case owner picked,
/// until the share is withdrawn or the agreement stops being in force.
final class CaseShare: Model, @unchecked Sendable {
    static let schema = "case_shares"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Parent(key: "partner_id") var partner: PartnerOrganisation
    @Parent(key: "agreement_id") var agreement: SharingAgreement
    @Field(key: "parts") var parts: String
    @Field(key: "shared_at") var sharedAt: Date
    @OptionalField(key: "shared_by") var sharedBy: UUID?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_by") var withdrawnBy: UUID?
    init() {}
}

struct CreateSharing: AsyncMigration {
    var name: String { "2026-12-07-create-sharing" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SharingAgreement.schema).id()
            .field("partner_id", .uuid, .required, .references(PartnerOrganisation.schema, "id"))
            .field("purpose", .string, .required).field("article6", .string, .required).field("article9", .string, .required)
            .field("schedule1", .string, .required).field("categories", .string, .required)
            .field("starts_on", .string, .required).field("review_on", .string, .required).field("ends_on", .string)
            .field("document", .string, .required).field("created_at", .datetime, .required).field("created_by", .uuid)
            .create()
        try await database.schema(CaseShare.schema).id()
            .field("case_id", .uuid, .required, .references(SafeguardingCase.schema, "id", onDelete: .cascade))
            .field("partner_id", .uuid, .required, .references(PartnerOrganisation.schema, "id"))
            .field("agreement_id", .uuid, .required, .references(SharingAgreement.schema, "id"))
            .field("parts", .string, .required).field("shared_at", .datetime, .required).field("shared_by", .uuid)
            .field("withdrawn_at", .datetime).field("withdrawn_by", .uuid)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "case_shares_case_idx").on(CaseShare.schema).column("case_id").run()
            try await sql.create(index: "case_shares_partner_idx").on(CaseShare.schema).column("partner_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseShare.schema).delete()
        try await database.schema(SharingAgreement.schema).delete()
    }
}
