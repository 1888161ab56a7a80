import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Re-wraps every record's data key under the current organisation key, in one transaction:
/// either every record moves to the new key or none does. Ciphertexts and files are untouched,
/// because only the data keys are wrapped by the organisation key (`security.md` §2).
enum KeyRotation {
    struct Report: Sendable { var rewrapped: Int; var alreadyCurrent: Int }

    /// Walks every table the registry says carries a wrapped data key.
    static func rotate(on db: any Database, cipher: FieldCipher, registry: PersonalDataRegistry) async throws -> Report {
        let tables = registry.wrappedKeyTables
        return try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            var report = Report(rewrapped: 0, alreadyCurrent: 0)
            for table in tables {
                let rows = try await sql.select().column("id").column("wrapped_key").from(table).all()
                for row in rows {
                    let id = try row.decode(column: "id", as: UUID.self)
                    let wrapped = try WrappedDataKey.parse(try row.decode(column: "wrapped_key", as: Data.self))
                    if wrapped.keyID == cipher.currentKeyID { report.alreadyCurrent += 1; continue }
                    let rewrapped = try cipher.rewrap(wrapped, recordID: id.uuidString)
                    try await sql.update(table).set("wrapped_key", to: rewrapped.stored).where("id", .equal, id).run()
                    report.rewrapped += 1
                }
            }
            return report
        }
    }
}
