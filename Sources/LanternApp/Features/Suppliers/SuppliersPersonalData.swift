import Fluent
import Foundation
import LanternCore
import Vapor

/// Suppliers' named contacts, for the registry (`PersonalDataRegistry`).
enum SuppliersPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: SupplierContact.schema, subject: .supplierContact, link: .column("supplier_id", of: Supplier.schema), ownKey: false,
                          clearPersonalColumns: ["name", "email", "phone"], retention: .supplierRecords, erasure: .delete, find: findContacts),
    ]

    /// Suppliers whose every contract ended before the cutoff, with none still active and no
    /// concern about them (a concern keeps its supplier for its own period). Their contacts go
    /// through the registry; the supplier and its contracts, business records, go after.
    static let retention = [
        RetentionRoot(record: .supplierRecords, table: Supplier.schema, auditEntity: .supplier, expired: { db, cutoff in
            let contracts = Dictionary(grouping: try await Contract.query(on: db).field(\.$id).field(\.$supplier.$id).field(\.$status)
                .field(\.$endDate).all(), by: { $0.$supplier.id })
            let concerned = Set(try await Concern.query(on: db).filter(\.$supplierID != nil).field(\.$id).field(\.$supplierID).all().compactMap(\.supplierID))
            var ids: [UUID] = []
            for s in try await Supplier.query(on: db).field(\.$id).all() where !concerned.contains(s.id!) {
                let mine = contracts[s.id!] ?? []
                guard !mine.isEmpty, mine.allSatisfy({ $0.status != .active && ($0.endDate ?? "9999") < cutoff.iso }) else { continue }
                ids.append(s.id!)
            }
            return ids
        }, note: "Suppliers with no contracts are kept until one is recorded.", finish: { db, ids in
            for batch in ids.chunked(500) {
                try await Contract.query(on: db).filter(\.$supplier.$id ~~ Array(batch)).delete()
                try await Supplier.query(on: db).filter(\.$id ~~ Array(batch)).delete()
            }
        }, afterCommit: { $0.procurementFigures.invalidate() }),
    ]

    @Sendable static func findContacts(_ q: PersonSearch.Query, _ context: PersonSearch.Context) async throws -> [PersonSearch.Found] {
        try await SupplierContact.query(on: context.db).with(\.$supplier).sort(\.$name).sort(\.$id).all()
            .filter { q.matchingName(in: $0.name) != nil }
            .map { c in
                PersonSearch.Found(kind: "Supplier contact", id: c.id!.uuidString, title: "Contact at \(c.supplier.name)", date: "", match: "name",
                                   lines: ["Name: \(c.name)", "Role: \(c.role)", "Email: \(c.email)", "Phone: \(c.phone)", "Supplier: \(c.supplier.name)"])
            }
    }
}
