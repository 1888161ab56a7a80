import Fluent
import Foundation
import LanternCore
import Vapor

/// An evidence file on a concern or a case. The bytes are stored encrypted under the record's
/// data key in `evidence_chunks`; the name and description are encrypted in the row.
/// Sources: `shared/docs/domain/referrals.md` §3.5 (file types and sizes) and `security.md` §2.
final class EvidenceFile: SealedModel, @unchecked Sendable {
    static let schema = "evidence_files"

    enum Owner: String, Codable, Sendable { case concern, `case` }

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

    /// The files a form actually carried: a browser sends an empty part when none is chosen.
    static func chosen(_ files: [File]?) -> [File] {
        (files ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
    }

    /// Checks each file by its content and size, adding each refusal under `files` with the
    /// file's name; returns the files accepted with their kinds. More than the limit is refused
    /// as a whole rather than cut short, so nothing chosen is silently dropped.
    static func accept(_ files: [File], into errors: inout FormErrors) -> [(File, EvidenceKind)] {
        guard files.count <= maximumFilesPerSubmission else {
            errors.add("files", "Attach at most \(maximumFilesPerSubmission) files at a time")
            return []
        }
        var accepted: [(File, EvidenceKind)] = []
        for file in files {
            switch EvidenceKind.sniff(file.data.readableBytesView) {
            case .success(let kind): accepted.append((file, kind))
            case .failure(let refusal): errors.add("files", "\(displayName(file)): \(refusal)")
            }
        }
        return accepted
    }

    static func displayName(_ file: File) -> String {
        let name = (file.filename as NSString).lastPathComponent
        return name.isEmpty ? "A file" : String(name.prefix(80))
    }

    /// Records the file and writes its bytes, encrypted, a chunk a row. The caller has checked it,
    /// and `db` is the caller's transaction.
    @discardableResult
    static func save(_ req: Request, file: File, kind: EvidenceKind, owner: EvidenceFile.Owner, ownerID: UUID,
                     description: String, fromReporter: Bool, on db: any Database) async throws -> EvidenceFile {
        let record = EvidenceFile()
        record.ownerType = owner
        record.ownerID = ownerID
        record.kind = kind
        record.size = file.data.readableBytes
        record.uploadedAt = req.lantern.now()
        record.uploadedBy = fromReporter ? nil : req.currentUser?.id
        record.fromReporter = fromReporter
        // Only the last path component of the name, and never more than 200 characters.
        let name = String((file.filename as NSString).lastPathComponent.prefix(200))
        try record.seal(.init(filename: name.isEmpty ? "evidence.\(kind.fileExtension)" : name, description: description), with: req.cipher)
        try await record.create(on: db)
        try await EvidenceChunk.write(file.data.readableBytesView, of: record, cipher: req.cipher, on: db)
        return record
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
        return try await query.sort(\.$uploadedAt).all().map { file in
            let secrets = try file.open(with: req.cipher)
            return Row(id: file.id!.uuidString, name: secrets.filename, description: secrets.description,
                       kind: file.kind.rawValue.uppercased(),
                       size: ByteCountFormatter.string(fromByteCount: Int64(file.size), countStyle: .file),
                       uploadedAt: DisplayDate.dateTime(file.uploadedAt), fromReporter: file.fromReporter)
        }
    }
}
