import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Erases records by walking the registry: from the rows asked for, down every table that links
/// to them, applying each table's rule (delete, reseal keeping the statistics' columns, or keep).
/// It names no feature's table; a new feature's data is erased once it is registered.
/// Source: the privacy notice (right to erasure, retention) and `shared/docs/domain/security.md` §2.
struct PersonalDataEraser: Sendable {
    let registry: PersonalDataRegistry

    /// How many rows each table lost or had emptied.
    struct Tally: Sendable {
        private(set) var rows: [String: Int] = [:]
        subscript(table: String) -> Int { rows[table] ?? 0 }
        var total: Int { rows.values.reduce(0, +) }
        mutating func add(_ table: String, _ count: Int) { rows[table, default: 0] += count }
    }

    /// Erases `ids` of `table` and everything linked to them, in the caller's transaction.
    func erase(_ table: String, ids: [UUID], in context: ErasureContext) async throws -> Tally {
        var tally = Tally()
        try await erase(table, ids: ids, context, &tally)
        return tally
    }

    private func erase(_ table: String, ids: [UUID], _ context: ErasureContext, _ tally: inout Tally) async throws {
        guard !ids.isEmpty else { return }
        let entry = registry[table]
        // A kept record keeps what hangs from it.
        if case .keep = entry?.rule(for: context.purpose) { return }
        let sql = context.db as! any SQLDatabase
        // Children first: a row sealed under its parent's key goes before the parent's key changes.
        for child in registry.children(of: table) {
            var childIDs: [UUID] = []
            for batch in ids.chunked(500) {
                var query = sql.select().column("id").from(child.table.table).where(SQLIdentifier(child.column), .in, Array(batch))
                if let kind = child.kind { query = query.where(SQLIdentifier(kind.column), .equal, kind.value) }
                if let erased = child.table.erasedAtColumn { query = query.where(SQLIdentifier(erased), .is, SQLLiteral.null) }
                childIDs += try await query.all().map { try $0.decode(column: "id", as: UUID.self) }
            }
            try await erase(child.table.table, ids: childIDs.sorted { $0.uuidString < $1.uuidString }, context, &tally)
        }
        guard let entry else { return }
        switch entry.rule(for: context.purpose) {
        case .keep:
            return
        case .delete:
            for batch in ids.chunked(500) { try await sql.delete(from: table).where("id", .in, Array(batch)).run() }
        case .reseal(_, let clearing):
            for id in ids {
                var update = sql.update(table)
                if entry.ownKey {
                    guard let content = try await entry.erasedContent?(context, id) else {
                        preconditionFailure("\(table) is resealed on erasure but declares no erasedContent")
                    }
                    let (wrapped, sealed) = try context.cipher.sealRecord(content, table: table, recordID: id.uuidString)
                    update = update.set("wrapped_key", to: wrapped.stored).set("sealed", to: sealed)
                }
                for column in entry.blindIndexes + entry.clearPersonalColumns + Array(entry.sealedUnderParent.keys) + clearing {
                    update = update.set(SQLIdentifier(column), to: SQLLiteral.null)
                }
                if let erased = entry.erasedAtColumn { update = update.set(erased, to: context.now) }
                try await update.where("id", .equal, id).run()
            }
        }
        tally.add(table, ids.count)
        try await entry.afterErasure?(context, ids)
    }
}

extension Array {
    /// The array in consecutive slices of at most `size`, for `IN` lists a database accepts.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Application {
    var personalDataEraser: PersonalDataEraser { PersonalDataEraser(registry: personalData) }
}
