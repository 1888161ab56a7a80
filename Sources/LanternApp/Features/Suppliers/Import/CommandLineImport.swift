import Fluent
import Foundation
import LanternCore
import Vapor

extension Administration {
    /// What `lantern import suppliers|contracts` prints: the same line-by-line report as the
    /// preview page, and what was imported (nothing when any row was rejected).
    public struct ImportReport: Sendable {
        public let rows: Int
        public let newCount: Int
        public let encoding: String
        public let ignoredColumns: [String]
        public let rejected: [String]
        public let duplicates: [String]
        public let outcome: String?
    }

    public enum ImportKind: String, Sendable, CaseIterable { case suppliers, contracts }

    public static func importCSV(on app: Application, kind: ImportKind, data: Data, filename: String, mergeDuplicates: Bool) async throws -> ImportReport {
        if let problem = ImportLimits.problem(size: data.count) { throw Problem.invalid([problem]) }
        func describe<Row>(_ plan: ImportPlan<Row>, name: (Row) -> String, line: (Row) -> Int) -> (rejected: [String], duplicates: [String]) {
            (plan.rejected.map(\.reason), plan.duplicates.map { d in
                let target: String
                switch d.match {
                case .existing(_, let name): target = name
                case .earlierLine(let l): target = "line \(l)"
                }
                return "Line \(line(d.row)): \(name(d.row)) matches \(target) (\(d.reason))"
            })
        }
        do {
            let batch = ImportBatch(kind: kind == .suppliers ? .suppliers : .contracts, filename: filename, data: Data(), createdBy: nil, at: app.lantern.now())
            switch kind {
            case .suppliers:
                let plan = try await SupplierImporter.plan(data, on: app.db)
                let text = describe(plan, name: \.name, line: \.line)
                var outcome: ImportOutcome?
                if plan.canImport {
                    try await batch.create(on: app.db)
                    outcome = try await SupplierImporter.apply(plan, mergeDuplicates: mergeDuplicates, batchID: batch.id, now: app.lantern.now(), on: app.db)
                }
                return try await finish(app, batch, kind: kind, plan.rowCount, plan.newRows.count, plan.encoding, plan.ignoredColumns, text, outcome)
            case .contracts:
                let plan = try await ContractImporter.plan(data, on: app.db)
                let text = describe(plan, name: \.title, line: \.line)
                var outcome: ImportOutcome?
                if plan.canImport {
                    try await batch.create(on: app.db)
                    let policy = try await Organisation.current(on: app.db)?.procurementPolicy ?? ProcurementPolicy()
                    outcome = try await ContractImporter.apply(plan, mergeDuplicates: mergeDuplicates, batchID: batch.id, policy: policy,
                                                               now: app.lantern.now(), on: app.db)
                }
                return try await finish(app, batch, kind: kind, plan.rowCount, plan.newRows.count, plan.encoding, plan.ignoredColumns, text, outcome)
            }
        } catch let problem as CSVFile.Problem {
            throw Problem.invalid(["\(filename) could not be read: \(problem.description)"])
        }
    }

    private static func finish(_ app: Application, _ batch: ImportBatch, kind: ImportKind, _ rows: Int, _ newCount: Int, _ encoding: CSVFile.Encoding,
                               _ ignored: [String], _ text: (rejected: [String], duplicates: [String]), _ outcome: ImportOutcome?) async throws -> ImportReport {
        if let outcome {
            batch.status = .imported
            batch.summary = outcome.description
            batch.data = nil
            try await batch.save(on: app.db)
            try await app.lantern.audit.append(on: app.db, actor: .system, action: .importData, entity: kind == .suppliers ? .supplier : .contract,
                                               entityID: batch.id?.uuidString, requestID: nil, detail: "cli \(batch.filename): \(outcome)", at: app.lantern.now())
        }
        return ImportReport(rows: rows, newCount: newCount, encoding: encoding.rawValue, ignoredColumns: ignored, rejected: text.rejected,
                            duplicates: text.duplicates, outcome: outcome?.description)
    }

    /// Loads the ILAB goods list (`lantern import goods FILE.xml`); returns the pairs loaded.
    public static func importGoods(on app: Application, data: Data, source: String) async throws -> Int {
        do {
            let count = try await GoodsReference.load(data, source: source, on: app)
            try await app.lantern.audit.append(on: app.db, actor: .system, action: .importData, entity: .goodsList, entityID: nil,
                                               requestID: nil, detail: "cli \(source): \(count) pairs", at: app.lantern.now())
            return count
        } catch let problem as GoodsListReader.Problem {
            throw Problem.invalid([problem.description])
        }
    }
}
