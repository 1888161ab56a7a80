import Crypto
import Fluent
import Foundation
import LanternCore
import SQLKit

/// Where archived audit rows went: the last row moved out, its hash (the boundary the kept
/// chain starts from) and a digest of the file that holds them. `audit verify` resumes the
/// chain at the newest boundary, so archiving never breaks it.
final class AuditArchiveRecord: Model, @unchecked Sendable {
    static let schema = "audit_archives"
    @ID(key: .id) var id: UUID?
    @Field(key: "first_sequence") var firstSequence: Int64
    @Field(key: "through_sequence") var throughSequence: Int64
    @Field(key: "boundary_hash") var boundaryHash: String
    @Field(key: "file_sha256") var fileSHA256: String
    @Field(key: "archived_at") var archivedAt: Date
    init() {}
}

struct CreateAuditArchives: AsyncMigration {
    var name: String { "2026-12-06-create-audit-archives" }
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditArchiveRecord.schema).id()
            .field("first_sequence", .int64, .required).field("through_sequence", .int64, .required)
            .field("boundary_hash", .string, .required).field("file_sha256", .string, .required)
            .field("archived_at", .datetime, .required)
            .unique(on: "through_sequence").create()
    }
    func revert(on database: any Database) async throws { try await database.schema(AuditArchiveRecord.schema).delete() }
}

/// Moves audit rows older than a day out of the database into a file, keeping the chain
/// verifiable: the file holds every field and hash, the table keeps the boundary, and the
/// move itself is a new audit row.
enum AuditArchive {
    struct Result: Sendable {
        var firstSequence: Int64
        var throughSequence: Int64
        var boundaryHash: String
        var fileSHA256: String
    }

    enum Problem: Error, CustomStringConvertible {
        case chainBroken(String)
        case nothingToArchive(before: String)
        case fileExists(String)
        var description: String {
            switch self {
            case .chainBroken(let why): "The audit log does not verify, so nothing was archived: \(why)."
            case .nothingToArchive(let day): "No audit rows before \(day) remain in the database."
            case .fileExists(let path): "\(path) already exists; archives are never overwritten."
            }
        }
    }

    /// One row of the archive file, a JSON object a line.
    struct Line: Codable {
        var sequence: Int64
        var atMilliseconds: Int64
        var actorID: String?
        var actorRole: String?
        var action: String
        var entityType: String
        var entityID: String?
        var outcome: String
        var requestID: String?
        var detail: String?
        var previousHash: String
        var hash: String

        init(_ row: AuditChain.StoredRow) {
            let c = row.content
            (sequence, atMilliseconds, actorID, actorRole, action) = (c.sequence, c.atMilliseconds, c.actorID, c.actorRole, c.action)
            (entityType, entityID, outcome, requestID, detail) = (c.entityType, c.entityID, c.outcome, c.requestID, c.detail)
            (previousHash, hash) = (row.previousHash, row.hash)
        }

        var stored: AuditChain.StoredRow {
            .init(content: AuditRecordContent(sequence: sequence, atMilliseconds: atMilliseconds, actorID: actorID, actorRole: actorRole,
                                              action: action, entityType: entityType, entityID: entityID, outcome: outcome,
                                              requestID: requestID, detail: detail),
                  previousHash: previousHash, hash: hash)
        }
    }

    /// The newest archive boundary, where verification of the kept rows starts.
    static func boundary(on db: any Database) async throws -> AuditArchiveRecord? {
        try await AuditArchiveRecord.query(on: db).sort(\.$throughSequence, .descending).first()
    }

    /// Archives every row dated before `day` (UK civil day) into `path`, then removes them.
    static func run(on db: any Database, log: AuditLog, before day: Day, to path: String, now: Date) async throws -> Result {
        guard !FileManager.default.fileExists(atPath: path) else { throw Problem.fileExists(path) }
        let check = try await log.verify(on: db)
        if let broken = check.firstBreak { throw Problem.chainBroken(broken.description) }
        let cutoff = day.startInUK
        guard let last = try await AuditEntry.query(on: db).filter(\.$at < cutoff).sort(\.$sequence, .descending).first() else {
            throw Problem.nothingToArchive(before: day.long)
        }
        let previous = try await boundary(on: db)
        let first = (previous?.throughSequence ?? 0) + 1

        // The file first, complete and flushed, before a row is removed.
        try PrivateFiles.file(path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var digest = SHA256()
        var after = first - 1
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        while after < last.sequence {
            let page = try await AuditEntry.query(on: db).filter(\.$sequence > after).filter(\.$sequence <= last.sequence)
                .sort(\.$sequence, .ascending).limit(1000).all()
            guard let end = page.last else { break }
            var chunk = Data()
            for entry in page {
                chunk += try encoder.encode(Line(entry.storedRow))
                chunk.append(0x0A)
            }
            try handle.write(contentsOf: chunk)
            digest.update(data: chunk)
            after = end.sequence
        }
        try handle.synchronize()
        try handle.close()
        let fileSHA = digest.finalize().hexEncoded
        let result = Result(firstSequence: first, throughSequence: last.sequence, boundaryHash: last.hash, fileSHA256: fileSHA)

        try await db.writeTransaction { tx in
            try await tx.lockUntilCommit("lantern-audit-chain")
            let sql = tx as! any SQLDatabase
            // The append-only guard is lifted for this one delete, inside the transaction.
            for statement in AuditLogGuard.remove(dialect: sql.dialect.name) { try await sql.raw(SQLQueryString(statement)).run() }
            try await AuditEntry.query(on: tx).filter(\.$sequence >= first).filter(\.$sequence <= last.sequence).delete()
            for statement in AuditLogGuard.install(dialect: sql.dialect.name) { try await sql.raw(SQLQueryString(statement)).run() }
            let record = AuditArchiveRecord()
            (record.firstSequence, record.throughSequence, record.boundaryHash) = (first, last.sequence, last.hash)
            (record.fileSHA256, record.archivedAt) = (fileSHA, now)
            try await record.create(on: tx)
            try await log.append(on: tx, actor: .system, action: .export, entity: .auditLog, entityID: nil, requestID: nil,
                                 detail: "rows \(first)-\(last.sequence) archived, boundary hash \(last.hash), file sha-256 \(fileSHA)", at: now)
        }
        return result
    }

    /// Checks an archive file on its own: its rows chain from `previousHash` and end at the
    /// boundary the database recorded.
    static func verifyFile(_ data: Data, after sequence: Int64, hash: String) -> (rows: Int, last: String, problem: AuditChain.Break?) {
        var verifier = AuditChain.Verifier(after: sequence, hash: hash)
        let decoder = JSONDecoder()
        for line in data.split(separator: 0x0A) {
            guard let row = try? decoder.decode(Line.self, from: Data(line)) else {
                return (verifier.count, verifier.lastHash, .altered(sequence: verifier.lastSequence + 1))
            }
            if let broken = verifier.check(row.stored) { return (verifier.count, verifier.lastHash, broken) }
        }
        return (verifier.count, verifier.lastHash, nil)
    }
}
