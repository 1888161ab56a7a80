import Fluent
import Foundation
import LanternCore
import Vapor

/// What an import did.
struct ImportOutcome: Sendable, CustomStringConvertible {
    var created = 0
    var merged = 0
    var skipped = 0

    var description: String {
        "\(created) added, \(merged) merged into existing records, \(skipped) duplicates left as they were"
    }
}

/// The limit on an import file, in the app and the command line alike.
enum ImportLimits {
    static let maxBytes = 32 * 1_048_576

    static func problem(size: Int) -> String? {
        guard size > maxBytes else { return nil }
        return String(format: "The file is %.1f MB; imports are limited to %d MB. Split it into smaller files.",
                      Double(size) / 1_048_576, maxBytes / 1_048_576)
    }
}

/// Suppliers from CSV: plan (nothing written), then apply in one transaction.
enum SupplierImporter {
    static func existingKeys(on db: any Database) async throws -> (byNumber: [String: (UUID, String)], byName: [String: (UUID, String)]) {
        let rows = try await (db as! any SQLDatabase).select().column("id").column("name").column("name_key").column("company_number")
            .from(Supplier.schema).all()
        var byNumber: [String: (UUID, String)] = [:], byName: [String: (UUID, String)] = [:]
        byName.reserveCapacity(rows.count)
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self), name = try row.decode(column: "name", as: String.self)
            if let number = try row.decode(column: "company_number", as: String?.self) { byNumber[number] = (id, name) }
            let key = try row.decode(column: "name_key", as: String.self)
            if byName[key] == nil { byName[key] = (id, name) }
        }
        return (byNumber, byName)
    }

    static func plan(_ data: Data, on db: any Database) async throws -> ImportPlan<SupplierImportRow> {
        let file = try CSVFile(data: data)
        let keys = try await existingKeys(on: db)
        return SupplierImport.plan(file, byNumber: keys.byNumber, byName: keys.byName)
    }

    /// `finally` runs in the last transaction, with the outcome: the batch's own record and its
    /// audit row go in with the merges, or the rows already written are undone.
    static func apply(_ plan: ImportPlan<SupplierImportRow>, mergeDuplicates: Bool, batchID: UUID?, now: Date, on db: any Database,
                      progress: @escaping BulkInsert.Progress = { _, _ in },
                      finally: @escaping @Sendable (any Database, ImportOutcome) async throws -> Void = { _, _ in }) async throws -> ImportOutcome {
        precondition(plan.canImport)
        var outcome = ImportOutcome()
        do {
            var pending: [Int: Supplier] = [:]
            var models: [Supplier] = []
            models.reserveCapacity(plan.newRows.count)
            for row in plan.newRows {
                let supplier = Supplier(name: row.name, companyNumber: row.companyNumber, sectors: row.sectors,
                                        countriesOfOperation: row.countries, turnover: row.turnover, statementURL: row.statementURL,
                                        nameKey: row.nameKey)
                supplier.id = UUID()
                supplier.importBatchID = batchID
                pending[row.line] = supplier
                models.append(supplier)
            }
            // Every supplier a duplicate matches, loaded in one query rather than one per row.
            let existingTargets: [UUID: Supplier] = try await Self.existing(plan.duplicates.map(\.match), mergeDuplicates: mergeDuplicates, on: db)
            var lineToExisting: [Int: UUID] = [:]
            for duplicate in plan.duplicates {
                guard mergeDuplicates else { outcome.skipped += 1; continue }
                let target: Supplier?
                switch duplicate.match {
                case .existing(let id, _):
                    target = existingTargets[id]
                    lineToExisting[duplicate.row.line] = id
                case .earlierLine(let line):
                    target = pending[line] ?? lineToExisting[line].flatMap { existingTargets[$0] }
                }
                guard let target else { outcome.skipped += 1; continue }
                merge(duplicate.row, into: target)
                outcome.merged += 1
            }
            let targets = Array(existingTargets.values)
            outcome.created = models.count
            let final = outcome
            try await BulkInsert.inBatches(on: db, into: Supplier.schema, columns: columns, rows: models.map { row(for: $0, now: now) }, progress: progress,
                                           then: { db in
                                               for target in targets { try await target.save(on: db) }
                                               try await finally(db, final)
                                           },
                                           undo: { db in if let batchID { try await Supplier.query(on: db).filter(\.$importBatchID == batchID).delete() } })
        }
        if outcome.created >= BulkInsert.largeLoad { try await DatabaseSetup.afterBulkLoad(db, tables: [Supplier.schema]) }
        return outcome
    }

    /// The columns a new supplier's row fills, and their values, written without Fluent's
    /// per-model reflection (which dominated the time of a 50,000-row import).
    static let columns = ["id", "name", "name_key", "company_number", "sectors", "countries_operation", "countries_sourcing",
                          "turnover_band", "statement_url", "import_batch_id", "created_at", "updated_at"]

    static func row(for s: Supplier, now: Date) -> [any Encodable & Sendable] {
        [s.id!, s.name, s.nameKey, s.companyNumber, s.sectors, s.countriesOfOperation, s.countriesOfSourcing,
         s.turnoverBand, s.statementURL, s.importBatchID, now, now]
    }

    /// The registered records that duplicates match, by id, in one query (none unless merging).
    static func existing<Row, M: Model>(_ matches: [ImportPlan<Row>.Match], mergeDuplicates: Bool, on db: any Database) async throws -> [UUID: M] where M.IDValue == UUID {
        guard mergeDuplicates else { return [:] }
        let ids = Array(Set(matches.compactMap { match -> UUID? in
            if case .existing(let id, _) = match { return id }
            return nil
        }))
        var found: [UUID: M] = [:]
        for start in stride(from: 0, to: ids.count, by: 1000) {
            for model in try await M.query(on: db).filter(\M._$id ~~ Array(ids[start..<min(start + 1000, ids.count)])).all() {
                found[model.id!] = model
            }
        }
        return found
    }

    /// Fills what the record lacks and adds new sectors and countries; never blanks a field.
    static func merge(_ row: SupplierImportRow, into supplier: Supplier) {
        if supplier.companyNumber == nil { supplier.companyNumber = row.companyNumber }
        let sectors = supplier.sectorList + row.sectors.filter { !supplier.sectorList.contains($0) }
        supplier.sectors = sectors.map(\.rawValue).joined(separator: ",")
        let countries = supplier.operationCountries + row.countries.filter { !supplier.operationCountries.contains($0) }
        supplier.countriesOfOperation = countries.joined(separator: "; ")
        if let turnover = row.turnover { supplier.turnoverBand = turnover.rawValue }
        if let url = row.statementURL { supplier.statementURL = url }
    }
}

/// Contracts from CSV, each matched to a registered supplier.
enum ContractImporter {
    static func plan(_ data: Data, on db: any Database) async throws -> ImportPlan<ContractImportRow> {
        let file = try CSVFile(data: data)
        let suppliers = try await SupplierImporter.existingKeys(on: db)
        let rows = try await (db as! any SQLDatabase).select().column("id").column("title").column("supplier_id")
            .from(Contract.schema).all()
        var existing: [String: (UUID, String)] = [:]
        existing.reserveCapacity(rows.count)
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self), title = try row.decode(column: "title", as: String.self)
            existing[ContractImport.key(supplierID: try row.decode(column: "supplier_id", as: UUID.self), title: title)] = (id, title)
        }
        return ContractImport.plan(file, suppliersByNumber: suppliers.byNumber, suppliersByName: suppliers.byName, existing: existing)
    }

    static func apply(_ plan: ImportPlan<ContractImportRow>, mergeDuplicates: Bool, batchID: UUID?, policy: ProcurementPolicy,
                      now: Date, on db: any Database, progress: @escaping BulkInsert.Progress = { _, _ in },
                      finally: @escaping @Sendable (any Database, ImportOutcome) async throws -> Void = { _, _ in }) async throws -> ImportOutcome {
        precondition(plan.canImport)
        let today = Day(now)
        var outcome = ImportOutcome()
        do {
            var pending: [Int: Contract] = [:]
            var models: [Contract] = []
            models.reserveCapacity(plan.newRows.count)
            for row in plan.newRows {
                let contract = Contract(title: row.title, supplierID: row.supplierID,
                                        regime: row.start.map(ProcurementRegime.forProcurementStarted(on:)) ?? .ppn0223, titleKey: row.titleKey)
                contract.id = UUID()
                fill(contract, from: row, policy: policy, today: today)
                contract.importBatchID = batchID
                pending[row.line] = contract
                models.append(contract)
            }
            let existingTargets = try await SupplierImporter.existing(plan.duplicates.map(\.match), mergeDuplicates: mergeDuplicates, on: db) as [UUID: Contract]
            for duplicate in plan.duplicates {
                guard mergeDuplicates else { outcome.skipped += 1; continue }
                let target: Contract?
                switch duplicate.match {
                case .existing(let id, _):
                    target = existingTargets[id]
                case .earlierLine(let line):
                    target = pending[line]
                }
                guard let target else { outcome.skipped += 1; continue }
                fill(target, from: duplicate.row, policy: policy, today: today)
                outcome.merged += 1
            }
            let targets = Array(existingTargets.values)
            outcome.created = models.count
            let final = outcome
            try await BulkInsert.inBatches(on: db, into: Contract.schema, columns: columns, rows: models.map { row(for: $0, now: now) }, progress: progress,
                                           then: { db in
                                               for target in targets { try await target.save(on: db) }
                                               try await finally(db, final)
                                           },
                                           undo: { db in if let batchID { try await Contract.query(on: db).filter(\.$importBatchID == batchID).delete() } })
        }
        if outcome.created >= BulkInsert.largeLoad { try await DatabaseSetup.afterBulkLoad(db, tables: [Contract.schema]) }
        return outcome
    }

    static let columns = ["id", "title", "title_key", "supplier_id", "category", "value_pence", "annual_value_pence", "start_date",
                          "end_date", "business_critical", "regime", "clauses_included", "statement_required", "high_value",
                          "needs_review", "next_review_date", "status", "import_batch_id", "created_at", "updated_at"]

    static func row(for c: Contract, now: Date) -> [any Encodable & Sendable] {
        [c.id!, c.title, c.titleKey, c.$supplier.id, c.category, c.valuePence, c.annualValuePence, c.startDate,
         c.endDate, c.businessCritical, c.regime, c.clausesIncluded, c.statementRequired, c.highValue,
         c.needsReview, c.nextReviewDate, c.status, c.importBatchID, now, now]
    }

    /// Sets the row's values (keeping what the row leaves empty) and the flags that follow.
    static func fill(_ contract: Contract, from row: ContractImportRow, policy: ProcurementPolicy, today: Day) {
        if let value = row.value { contract.valuePence = value.pence }
        if let annual = row.annualValue { contract.annualValuePence = annual.pence }
        if let start = row.start { contract.startDate = start.iso }
        if let end = row.end { contract.endDate = end.iso }
        if let category = row.category { contract.category = category }
        if row.businessCritical { contract.businessCritical = true }
        contract.applyPolicy(policy)
        if contract.needsReview, contract.nextReviewDate == nil {
            contract.nextReviewDate = ReviewSchedule.nextDue(lastReview: nil, contractStart: row.start, today: today).iso
        }
    }
}

/// Multi-row INSERTs in chunks that stay inside both engines' limits on bound values
/// (SQLite 32,766; PostgreSQL 65,535).
enum BulkInsert {
    /// Loads at least this large refresh the planner's statistics afterwards.
    static let largeLoad = 1_000

    /// Rows per write transaction: each commits in well under a second, so an import of any
    /// size never holds SQLite's write lock long enough to stall other people's work.
    static let rowsPerTransaction = 5_000

    /// Inserts `rows` in short write transactions, one after another, then runs `then` (merges
    /// into existing records) in one more. If any step fails, `undo` removes what the earlier
    /// ones inserted (the rows carry their import batch), so the import is still all or nothing.
    /// Told the rows written so far and the total after each transaction; it may throw to stop
    /// the import (which is then undone).
    typealias Progress = @Sendable (_ done: Int, _ total: Int) async throws -> Void

    static func inBatches(on db: any Database, into table: String, columns: [String], rows: [[any Encodable & Sendable]],
                          rowsPerTransaction: Int = rowsPerTransaction, progress: @escaping Progress = { _, _ in },
                          then finish: @escaping @Sendable (any Database) async throws -> Void = { _ in },
                          undo: @escaping @Sendable (any Database) async throws -> Void) async throws {
        do {
            try await progress(0, rows.count)
            for start in stride(from: 0, to: rows.count, by: rowsPerTransaction) {
                let end = min(start + rowsPerTransaction, rows.count)
                let slice = Array(rows[start..<end])
                try await db.writeTransaction { db in try await run(on: db, into: table, columns: columns, rows: slice) }
                try await progress(end, rows.count)
            }
            try await db.writeTransaction { db in try await finish(db) }
        } catch {
            try? await db.writeTransaction { db in try await undo(db) }
            throw error
        }
    }

    static func run(on db: any Database, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        let sql = db as! any SQLDatabase
        let perStatement = max(1, 30_000 / columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert = insert.values(row) }
            try await insert.run()
        }
    }
}
