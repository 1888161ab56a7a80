import Fluent
import SQLKit
import Foundation
import LanternCore

/// An organisation in the local partnership (the police, the GLAA, a charity …): its people sign
/// in with the partner role and see only what is theirs or published.
final class PartnerOrganisation: Model, @unchecked Sendable {
    static let schema = "partner_organisations"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: PartnerKind
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_email") var contactEmail: String
    @Field(key: "contact_phone") var contactPhone: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// A place the organisation reports figures by: a ward, or a postcode district.
final class PartnershipArea: Model, @unchecked Sendable {
    static let schema = "partnership_areas"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// "ward" or "postcode_district".
    @Field(key: "kind") var kind: String
    @Field(key: "created_at") var createdAt: Date
    init() {}

    static let kinds = [("ward", "Ward"), ("postcode_district", "Postcode district")]

    /// The names, in order, as the forms and the importer read them.
    static func names(on db: any Database) async throws -> [String] {
        try await PartnershipArea.query(on: db).sort(\.$name).all().map(\.name)
    }
}

/// A partner's figures for a period: records without identities, or counts.
final class DataReturn: Model, @unchecked Sendable {
    static let schema = "data_returns"
    @ID(key: .id) var id: UUID?
    @Parent(key: "partner_id") var partner: PartnerOrganisation
    @Field(key: "period_start") var periodStart: String
    /// The last day covered, included.
    @Field(key: "period_end") var periodEnd: String
    /// "records" or "counts".
    @Field(key: "form") var form: String
    @Field(key: "source_kind") var sourceKind: String
    @Field(key: "note") var note: String
    /// How many people or events the return covers.
    @Field(key: "total") var total: Int
    /// "form", "CSV: <file>" or "API".
    @Field(key: "channel") var channel: String
    @Field(key: "submitted_at") var submittedAt: Date
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?
    init() {}

    var period: String {
        guard let start = Day(parsing: periodStart), let end = Day(parsing: periodEnd) else { return "\(periodStart) to \(periodEnd)" }
        return "\(start.long) to \(end.long)"
    }
}

/// One record of a records return (`ReturnRecord`), stored flat for grouped counting.
final class DataReturnRecord: Model, @unchecked Sendable {
    static let schema = "data_return_records"
    @ID(key: .id) var id: UUID?
    @Parent(key: "return_id") var dataReturn: DataReturn
    @Field(key: "occurred_on") var occurredOn: String
    @Field(key: "category") var category: String
    @Field(key: "age_group") var ageGroup: String
    @Field(key: "gender") var gender: String
    @Field(key: "nationality") var nationality: String
    @Field(key: "area") var area: String
    @Field(key: "outcome") var outcome: String
    @Field(key: "source_kind") var sourceKind: String
    @OptionalField(key: "shared_key") var sharedKey: String?
    init() {}

    convenience init(_ record: ReturnRecord, returnID: UUID) {
        self.init()
        $dataReturn.id = returnID
        occurredOn = record.occurredOn.iso
        category = record.category.rawValue
        ageGroup = record.ageGroup.rawValue
        gender = record.gender.rawValue
        nationality = record.nationality
        area = record.area
        outcome = record.outcome.rawValue
        sourceKind = record.sourceKind
        sharedKey = record.sharedKey
    }
}

/// One figure of a counts return: `dimension` ("type", "age", "gender", "nationality", "area",
/// "outcome") and its `category`; what a dimension's categories leave of the total is not known.
final class DataReturnCount: Model, @unchecked Sendable {
    static let schema = "data_return_counts"
    @ID(key: .id) var id: UUID?
    @Parent(key: "return_id") var dataReturn: DataReturn
    @Field(key: "dimension") var dimension: String
    @Field(key: "category") var category: String
    @Field(key: "count") var count: Int
    init() {}
}

struct CreatePartnership: AsyncMigration {
    var name: String { "2026-12-07-create-partnership" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PartnerOrganisation.schema).id()
            .field("name", .string, .required).field("kind", .string, .required)
            .field("contact_name", .string, .required).field("contact_email", .string, .required).field("contact_phone", .string, .required)
            .field("is_active", .bool, .required).field("created_at", .datetime, .required)
            .unique(on: "name").create()
        try await database.schema(PartnershipArea.schema).id()
            .field("name", .string, .required).field("kind", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "name").create()
        try await database.schema(DataReturn.schema).id()
            .field("partner_id", .uuid, .required, .references(PartnerOrganisation.schema, "id"))
            .field("period_start", .string, .required).field("period_end", .string, .required)
            .field("form", .string, .required).field("source_kind", .string, .required).field("note", .string, .required)
            .field("total", .int, .required).field("channel", .string, .required)
            .field("submitted_at", .datetime, .required).field("submitted_by", .uuid)
            .field("withdrawn_at", .datetime).field("withdrawn_reason", .string)
            .create()
        try await database.schema(DataReturnRecord.schema).id()
            .field("return_id", .uuid, .required, .references(DataReturn.schema, "id", onDelete: .cascade))
            .field("occurred_on", .string, .required).field("category", .string, .required).field("age_group", .string, .required)
            .field("gender", .string, .required).field("nationality", .string, .required).field("area", .string, .required)
            .field("outcome", .string, .required).field("source_kind", .string, .required).field("shared_key", .string)
            .create()
        try await database.schema(DataReturnCount.schema).id()
            .field("return_id", .uuid, .required, .references(DataReturn.schema, "id", onDelete: .cascade))
            .field("dimension", .string, .required).field("category", .string, .required).field("count", .int, .required)
            .create()
        try await database.schema(User.schema).field("partner_id", .uuid).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "data_return_records_return_idx").on(DataReturnRecord.schema).column("return_id").column("occurred_on").run()
            try await sql.create(index: "data_returns_partner_idx").on(DataReturn.schema).column("partner_id").column("period_start").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("partner_id").update()
        for schema in [DataReturnCount.schema, DataReturnRecord.schema, DataReturn.schema, PartnershipArea.schema, PartnerOrganisation.schema] {
            try await database.schema(schema).delete()
        }
    }
}
