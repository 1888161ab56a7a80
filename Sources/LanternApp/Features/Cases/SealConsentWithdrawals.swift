import Fluent
import Foundation
import LanternCore
import SQLKit

/// How consent was withdrawn is typed text that can name people (an advocate, a relative): it
/// moves from a clear column into one sealed under the case's data key.
struct SealConsentWithdrawals: AsyncMigration {
    let cipher: FieldCipher
    var name: String { "2026-12-06-seal-consent-withdrawals" }

    private struct Clear: Decodable { let withdrawal_method: String? }

    func prepare(on database: any Database) async throws {
        try await database.schema(CaseConsent.schema).field("withdrawal_method_sealed", .data).update()
        let sql = database as! any SQLDatabase
        for consent in try await CaseConsent.query(on: database).filter(\.$withdrawnOn != nil).all() {
            guard let clear = try await sql.select().column("withdrawal_method").from(CaseConsent.schema)
                .where("id", .equal, consent.id!).first(decoding: Clear.self)?.withdrawal_method,
                let owner = try await SafeguardingCase.find(consent.$safeguardingCase.id, on: database) else { continue }
            try consent.setWithdrawalMethod(clear, caseKey: try owner.unwrappedKey(with: cipher))
            try await consent.save(on: database)
        }
        try await database.schema(CaseConsent.schema).deleteField("withdrawal_method").update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseConsent.schema).field("withdrawal_method", .string).update()
        try await database.schema(CaseConsent.schema).deleteField("withdrawal_method_sealed").update()
    }
}
