import Fluent
import Foundation

/// An uploaded CSV file waiting for its preview to be confirmed, or the record of one that
/// was imported. Keeping the file lets the confirmation import exactly what was previewed.
final class ImportBatch: Model, @unchecked Sendable {
    static let schema = "import_batches"

    enum Kind: String, Codable, CaseIterable {
        case suppliers, contracts
        var label: String { rawValue.capitalized }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "filename") var filename: String
    @OptionalField(key: "data") var data: Data?
    /// `pending`, `imported` or `discarded`.
    @Field(key: "status") var status: ImportBatchStatus
    @OptionalField(key: "summary") var summary: String?
    /// What the preview found (`ImportPreview` as JSON), once the preview job has read the file.
    @OptionalField(key: "preview") var preview: Data?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(kind: Kind, filename: String, data: Data, createdBy: UUID?, at: Date) {
        self.kind = kind.rawValue
        self.filename = filename
        self.data = data
        self.status = .pending
        self.createdBy = createdBy
        self.createdAt = at
    }

    var batchKind: Kind { Kind(rawValue: kind) ?? .suppliers }
}

struct CreateImportBatches: AsyncMigration {
    var name: String { "2026-11-24-create-import-batches" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ImportBatch.schema)
            .id()
            .field("kind", .string, .required)
            .field("filename", .string, .required)
            .field("data", .data)
            .field("status", .string, .required)
            .field("summary", .string)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ImportBatch.schema).delete()
    }
}

/// Where an uploaded import file has reached: waiting for confirmation, imported, discarded,
/// or expired unconfirmed (its rows then dropped). Stored as its raw text.
enum ImportBatchStatus: String, Codable, CaseIterable, Sendable {
    case pending, imported, discarded, expired
}

struct AddImportPreview: AsyncMigration {
    var name: String { "2026-12-06-add-import-preview" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ImportBatch.schema).field("preview", .data).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ImportBatch.schema).deleteField("preview").update()
    }
}
