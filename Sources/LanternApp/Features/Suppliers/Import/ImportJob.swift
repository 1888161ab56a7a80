import Fluent
import Foundation
import LanternCore
import Vapor

/// Confirming an import, as a job: up to 100,000 rows are written in short transactions with
/// their progress shown, and no web request waits for them.
///
/// Idempotent: an import already done is not done again, and rows that an instance which died
/// part-way had written (they carry their import batch) are removed before it starts again.
struct ImportJob: JobHandler {
    let batchKind: ImportBatch.Kind

    var kind: String { "import-\(batchKind.rawValue)" }
    var title: String { "Importing \(batchKind.rawValue)" }

    static func uniqueKey(_ batchID: UUID) -> String { "import:\(batchID.uuidString)" }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        let db = context.db, now = context.app.lantern.now()
        let list = "/\(batchKind.rawValue)"
        guard let id = UUID(uuidString: context.job.subject), let batch = try await ImportBatch.find(id, on: db) else {
            throw LanternError(.notFound, "The uploaded file is no longer here. Upload it again to import it.")
        }
        switch batch.status {
        case .imported: return (batch.summary.map { "Imported \(batch.filename): \($0)." } ?? "Imported \(batch.filename).", list)
        case .discarded, .expired: throw LanternError(.conflict, "This import was \(batch.status.rawValue) before it could run. Upload the file again to import it.")
        case .pending: break
        }
        guard let data = batch.data else { throw LanternError(.conflict, "The uploaded file is no longer here. Upload it again to import it.") }
        try await undoEarlierTry(batch.id!, on: db)

        let merge = context.job.options == "merge"
        let entity: AuditEntity = batchKind == .suppliers ? .supplier : .contract
        let actor = try await context.ownerActor()
        // The batch is marked imported, and audited, in the last transaction of the import.
        let finish: @Sendable (any Database, ImportOutcome) async throws -> Void = { db, outcome in
            batch.status = .imported
            batch.summary = outcome.description
            batch.data = nil
            // The preview quotes the file's rows: it goes with the file.
            batch.preview = nil
            try await batch.save(on: db)
            try await context.audit(.importData, entity, id: batch.id?.uuidString, actor: actor, detail: "\(batch.filename): \(outcome)", on: db)
        }
        let progress: BulkInsert.Progress = { done, total in try await context.progress(done: done, total: total) }
        let outcome: ImportOutcome
        switch batchKind {
        case .suppliers:
            let plan = try await SupplierImporter.plan(data, on: db)
            guard plan.canImport else { throw Self.cannotImport }
            outcome = try await SupplierImporter.apply(plan, mergeDuplicates: merge, batchID: batch.id, now: now, on: db, progress: progress, finally: finish)
        case .contracts:
            let plan = try await ContractImporter.plan(data, on: db)
            guard plan.canImport else { throw Self.cannotImport }
            let policy = try await Organisation.current(on: db)?.procurementPolicy ?? ProcurementPolicy()
            outcome = try await ContractImporter.apply(plan, mergeDuplicates: merge, batchID: batch.id, policy: policy, now: now, on: db,
                                                       progress: progress, finally: finish)
        }
        return ("Imported \(batch.filename): \(outcome).", list)
    }

    static let cannotImport = LanternError(.unprocessableEntity, "The file has rows that cannot be imported, so nothing was imported. Check the preview again.")

    private func undoEarlierTry(_ batchID: UUID, on db: any Database) async throws {
        try await db.writeTransaction { db in
            switch batchKind {
            case .suppliers: try await Supplier.query(on: db).filter(\.$importBatchID == batchID).delete()
            case .contracts: try await Contract.query(on: db).filter(\.$importBatchID == batchID).delete()
            }
        }
    }
}
