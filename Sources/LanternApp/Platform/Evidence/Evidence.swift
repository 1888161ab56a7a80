import Fluent
import Foundation
import LanternCore
import Vapor

/// An evidence file on a concern or a case. The bytes are stored encrypted under the record's
/// data key in `evidence_chunks`; the name and description are encrypted in the row.
/// Sources: `shared/docs/domain/referrals.md` §3.5 (file types and sizes) and `security.md` §2.
final class EvidenceFile: SealedModel, @unchecked Sendable {
    static let schema = "evidence_files"

    /// `staged`: stored while its form is read, before the form is accepted (`EvidenceUpload`).
    enum Owner: String, Codable, Sendable { case concern, `case`, staged }

    @ID(key: .id) var id: UUID?
    @Field(key: "owner_type") var ownerType: Owner
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "kind") var kind: EvidenceKind
    @Field(key: "size") var size: Int
    @Field(key: "uploaded_at") var uploadedAt: Date
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?
    @Field(key: "from_reporter") var fromReporter: Bool
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var filename: String
        var description: String
    }

    init() {
        wrappedKey = Data()
        sealed = Data()
    }
}

struct CreateEvidenceFiles: AsyncMigration {
    var name: String { "2026-11-24-create-evidence-files" }
    func prepare(on database: any Database) async throws {
        try await database.schema(EvidenceFile.schema).id()
            .field("owner_type", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("uploaded_at", .datetime, .required)
            .field("uploaded_by", .uuid)
            .field("from_reporter", .bool, .required)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "evidence_owner_idx").on(EvidenceFile.schema).column("owner_type").column("owner_id").run()
        }
    }
    func revert(on database: any Database) async throws { try await database.schema(EvidenceFile.schema).delete() }
}

/// Stores and reads evidence bytes inside the database, encrypted in chunks under the file
/// record's data key, in the same transaction as the record: a backup holds them, every
/// instance sees them, and a file is never stored without its row or the other way round.
enum EvidenceStore {
    /// Plaintext bytes per stored chunk.
    static let chunkSize = 1_048_576

    /// The most files one submission or message may carry.
    static let maximumFilesPerSubmission = 10

    /// Gives a staged file its owner and description, in the caller's transaction.
    static func attach(_ staged: EvidenceUpload.Staged, owner: EvidenceFile.Owner, ownerID: UUID, description: String,
                       uploadedBy: UUID?, fromReporter: Bool, cipher: FieldCipher, on db: any Database) async throws {
        guard let id = staged.recordID, let record = try await EvidenceFile.find(id, on: db), record.ownerType == .staged else {
            throw LanternError(.conflict, "A file was lost while the form was read. Nothing was saved. Send the form again.")
        }
        var secrets = try record.open(with: cipher)
        secrets.description = description
        try record.seal(secrets, with: cipher)
        record.ownerType = owner
        record.ownerID = ownerID
        record.uploadedBy = fromReporter ? nil : uploadedBy
        record.fromReporter = fromReporter
        try await record.save(on: db)
    }

    /// The decrypted file as a download, streamed a chunk at a time: never displayed inline.
    static func download(_ req: Request, _ record: EvidenceFile) throws -> Response {
        let secrets = try record.open(with: req.cipher)
        let cipher = req.cipher, db = req.db, fileID = record.id!, wrapped = try record.dataKey()
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            do {
                try await EvidenceChunk.read(fileID: fileID, wrapped: wrapped, cipher: cipher, on: db) { bytes in
                    try await writer.writeBuffer(ByteBuffer(bytes: bytes))
                }
                try await writer.write(.end)
            } catch {
                try await writer.write(.error(error))
            }
        }, count: record.size))
        response.headers.contentType = HTTPMediaType(type: String(record.kind.mediaType.split(separator: "/")[0]),
                                                     subType: String(record.kind.mediaType.split(separator: "/")[1]))
        let ascii = secrets.filename.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 ? String($0) : "_" }.joined()
        let encoded = secrets.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct Row: Encodable {
        let id: String
        let name: String
        let description: String
        let kind: String
        let size: String
        let uploadedAt: String
        let fromReporter: Bool
    }

    static func rows(_ req: Request, owner: EvidenceFile.Owner, id: UUID, onlyFromReporter: Bool = false) async throws -> [Row] {
        var query = EvidenceFile.query(on: req.db).filter(\.$ownerType == owner).filter(\.$ownerID == id)
        if onlyFromReporter { query = query.filter(\.$fromReporter == true) }
        return try rows(req, try await query.sort(\.$uploadedAt).all())
    }

    /// The rows for files already read.
    static func rows(_ req: Request, _ records: [EvidenceFile]) throws -> [Row] {
        try records.map { file in
            let secrets = try file.open(with: req.cipher)
            return Row(id: file.id!.uuidString, name: secrets.filename, description: secrets.description,
                       kind: file.kind.rawValue.uppercased(),
                       size: ByteCountFormatter.string(fromByteCount: Int64(file.size), countStyle: .file),
                       uploadedAt: DisplayDate.dateTime(file.uploadedAt), fromReporter: file.fromReporter)
        }
    }
}

extension EvidenceFile: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] { [$id, $ownerType, $ownerID, $kind, $size, $uploadedAt, $uploadedBy, $fromReporter, $wrappedKey, $sealed] }
    static let columnNames = ["id", "owner_type", "owner_id", "kind", "size", "uploaded_at", "uploaded_by", "from_reporter", "wrapped_key", "sealed"]
}
