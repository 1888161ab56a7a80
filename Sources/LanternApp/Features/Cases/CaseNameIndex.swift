import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Finding a case by a person's name without keeping names in clear: each word of the first
/// name, surname, other names and nickname is kept as a blind index (a keyed hash), and a
/// search hashes the words typed and looks for them. Source: `shared/docs/domain/security.md`
/// §2 (blind indexes for exact-match search of sealed fields).
enum CaseNameIndex {
    static let purpose = "case-name"

    /// The case's name words, each hashed, as " h1 h2 h3 ", so one word matches as `% h %`.
    static func value(_ s: SafeguardingCase.Secrets, lookup: LookupKeys) -> String? {
        let hashes = Set([s.firstName, s.lastName, s.aliases, s.nickname].flatMap(words)).map { lookup.blindIndex($0, purpose: purpose) }.sorted()
        return hashes.isEmpty ? nil : " " + hashes.joined(separator: " ") + " "
    }

    /// Words as a search compares them: lower case, accents folded ("Nguyễn" is "nguyen"),
    /// two letters or more, and never the placeholder "unknown".
    static func words(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        return text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_GB"))
            .split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" })
            .map { String($0).lowercased() }
            .filter { $0.count >= 2 && $0 != "unknown" }
    }

    /// Cases written before the index existed get theirs when Lantern starts (once each).
    static func backfill(_ app: Application) async throws {
        let lookup = KeyRing.lookup(app), cipher = app.lantern.cipher
        let missing = try await SafeguardingCase.query(on: app.db).filter(\.$nameIndex == nil).filter(\.$erasedAt == nil).all()
        for c in missing {
            c.nameIndex = value(try c.open(with: cipher), lookup: lookup) ?? " "
            try await c.save(on: app.db)
        }
    }
}

struct AddCaseNameIndex: AsyncMigration {
    var name: String { "2026-12-07-add-case-name-index" }
    func prepare(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).field("name_index", .string).update()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).deleteField("name_index").update()
    }
}
