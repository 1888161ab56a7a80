import Fluent
import Foundation
import LanternCore
import SQLKit

/// How identity was confirmed and why a deadline was extended are typed text that can name
/// people (`shared/docs/domain/security.md` §2): they move from clear columns into the
/// request's sealed record, and the columns go.
struct SealSubjectAccessReasons: AsyncMigration {
    let cipher: FieldCipher
    var name: String { "2026-12-06-seal-subject-access-reasons" }

    private struct Clear: Decodable { let identity_method: String?; let extension_reason: String? }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for request in try await SubjectAccessRequest.query(on: database).all() {
            guard let clear = try await sql.select().columns("identity_method", "extension_reason")
                .from(SubjectAccessRequest.schema).where("id", .equal, request.id!).first(decoding: Clear.self),
                clear.identity_method != nil || clear.extension_reason != nil else { continue }
            var secrets = try request.open(with: cipher)
            secrets.identityMethod = clear.identity_method
            secrets.extensionReason = clear.extension_reason
            try request.seal(secrets, with: cipher)
            try await request.save(on: database)
        }
        try await database.schema(SubjectAccessRequest.schema).deleteField("identity_method").update()
        try await database.schema(SubjectAccessRequest.schema).deleteField("extension_reason").update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SubjectAccessRequest.schema).field("identity_method", .string).update()
        try await database.schema(SubjectAccessRequest.schema).field("extension_reason", .string).update()
    }
}
