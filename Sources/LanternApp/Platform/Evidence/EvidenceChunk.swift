import Fluent
import Foundation
import LanternCore
import SQLKit

/// One piece of an evidence file's bytes, sealed under the file record's data key. The
/// associated data names the file, the piece's place and whether it is the last, so pieces
/// cannot be swapped, reordered or cut off without the read failing.
final class EvidenceChunk: Model, @unchecked Sendable {
    static let schema = "evidence_chunks"
    @ID(key: .id) var id: UUID?
    @Field(key: "file_id") var fileID: UUID
    @Field(key: "chunk_index") var index: Int
    @Field(key: "sealed") var sealed: Data
    init() {}

    static func purpose(index: Int, last: Bool) -> String { "evidence-chunk|\(index)|\(last ? "last" : "more")" }

    /// Seals and writes `bytes` a chunk a row. An empty file is one empty last chunk.
    static func write<C: Collection>(_ bytes: C, of record: EvidenceFile, cipher: FieldCipher, on db: any Database) async throws
    where C.Element == UInt8 {
        let wrapped = try record.dataKey(), fileID = record.id!
        var start = bytes.startIndex, index = 0
        repeat {
            let end = bytes.index(start, offsetBy: EvidenceStore.chunkSize, limitedBy: bytes.endIndex) ?? bytes.endIndex
            let chunk = EvidenceChunk()
            chunk.fileID = fileID
            chunk.index = index
            chunk.sealed = try cipher.sealBytes(Data(bytes[start..<end]), wrapped: wrapped,
                                                purpose: purpose(index: index, last: end == bytes.endIndex), recordID: fileID.uuidString)
            try await chunk.create(on: db)
            start = end
            index += 1
        } while start != bytes.endIndex
    }

    /// Hands each chunk's bytes to `body` in order, reading one chunk row at a time.
    static func read(fileID: UUID, wrapped: WrappedDataKey, cipher: FieldCipher, on db: any Database,
                     _ body: (Data) async throws -> Void) async throws {
        let count = try await EvidenceChunk.query(on: db).filter(\.$fileID == fileID).count()
        guard count > 0 else { throw LanternError(.notFound, "The file is missing from storage.") }
        for index in 0..<count {
            guard let chunk = try await EvidenceChunk.query(on: db).filter(\.$fileID == fileID).filter(\.$index == index).first() else {
                throw FieldCipher.Problem.tampered
            }
            try await body(try cipher.openBytes(chunk.sealed, wrapped: wrapped, purpose: purpose(index: index, last: index == count - 1),
                                                recordID: fileID.uuidString))
        }
    }

    /// The whole file, for tests and the migration's checks.
    static func readAll(_ record: EvidenceFile, cipher: FieldCipher, on db: any Database) async throws -> Data {
        var data = Data()
        try await read(fileID: record.id!, wrapped: try record.dataKey(), cipher: cipher, on: db) { data += $0 }
        return data
    }
}

/// Evidence moves from `<data folder>/evidence/*.sealed` into the database: each file is opened,
/// written as chunks, and its file removed; the folder goes once empty.
struct MoveEvidenceIntoDatabase: AsyncMigration {
    let cipher: FieldCipher
    let directory: String
    var name: String { "2026-12-06-move-evidence-into-database" }

    func prepare(on database: any Database) async throws {
        try await database.schema(EvidenceChunk.schema).id()
            .field("file_id", .uuid, .required, .references(EvidenceFile.schema, "id", onDelete: .cascade))
            .field("chunk_index", .int, .required)
            .field("sealed", .data, .required)
            .unique(on: "file_id", "chunk_index")
            .create()
        for record in try await EvidenceFile.query(on: database).all() {
            let path = (directory as NSString).appendingPathComponent(record.id!.uuidString.lowercased() + ".sealed")
            guard let sealed = FileManager.default.contents(atPath: path) else { continue }
            let bytes = try cipher.openBytes(sealed, wrapped: try record.dataKey(), purpose: "evidence-file", recordID: record.id!.uuidString)
            try await database.transaction { tx in try await EvidenceChunk.write(bytes, of: record, cipher: cipher, on: tx) }
            try FileManager.default.removeItem(atPath: path)
        }
        if let left = try? FileManager.default.contentsOfDirectory(atPath: directory), left.isEmpty {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    func revert(on database: any Database) async throws { try await database.schema(EvidenceChunk.schema).delete() }
}
