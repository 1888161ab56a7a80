import Fluent
import Foundation
import LanternCore
import Vapor

/// What reading and planning an import file found: every rejected row with its line and reason,
/// every duplicate with what it matches. Kept with the batch, so the preview page and the list of
/// rejected rows are shown without reading the file again.
struct ImportPreview: Codable, Sendable {
    struct Duplicate: Codable, Sendable { let line: Int; let name: String; let matches: String; let link: String?; let reason: String }
    struct Rejected: Codable, Sendable { let line: Int; let reason: String }

    var rows = 0
    var newCount = 0
    var duplicates: [Duplicate] = []
    var rejected: [Rejected] = []
    var encoding = ""
    var ignored: [String] = []
    var canImport = false
    /// Why the file could not be read at all, when it could not.
    var unreadable: String?

    static func make(_ kind: ImportBatch.Kind, filename: String, data: Data, on db: any Database) async throws -> ImportPreview {
        func matchText<Row>(_ match: ImportPlan<Row>.Match, kindPath: String) -> (String, String?) {
            switch match {
            case .existing(let id, let name): return (name, "/\(kindPath)/\(id.uuidString)")
            case .earlierLine(let line): return ("line \(line) of this file", nil)
            }
        }
        var preview = ImportPreview()
        do {
            switch kind {
            case .suppliers:
                let plan = try await SupplierImporter.plan(data, on: db)
                preview.rows = plan.rowCount; preview.newCount = plan.newRows.count
                preview.rejected = plan.rejected.map { Rejected(line: $0.line, reason: $0.reason) }
                preview.encoding = plan.encoding.rawValue; preview.ignored = plan.ignoredColumns; preview.canImport = plan.canImport
                preview.duplicates = plan.duplicates.map {
                    let (text, link) = matchText($0.match, kindPath: "suppliers")
                    return Duplicate(line: $0.row.line, name: $0.row.name, matches: text, link: link, reason: $0.reason)
                }
            case .contracts:
                let plan = try await ContractImporter.plan(data, on: db)
                preview.rows = plan.rowCount; preview.newCount = plan.newRows.count
                preview.rejected = plan.rejected.map { Rejected(line: $0.line, reason: $0.reason) }
                preview.encoding = plan.encoding.rawValue; preview.ignored = plan.ignoredColumns; preview.canImport = plan.canImport
                preview.duplicates = plan.duplicates.map {
                    let (text, link) = matchText($0.match, kindPath: "contracts")
                    return Duplicate(line: $0.row.line, name: $0.row.title, matches: text, link: link, reason: $0.reason)
                }
            }
        } catch let problem as CSVFile.Problem {
            preview = ImportPreview(unreadable: "\(filename) could not be read: \(problem.description)")
        }
        return preview
    }
}

/// Reading and planning an uploaded file, as a job: up to 100,000 rows are checked against the
/// register without a web request waiting. The page moves on to the preview when it is done.
/// Run again, it finds the preview already made.
struct ImportPreviewJob: JobHandler {
    let batchKind: ImportBatch.Kind

    var kind: String { "import-preview-\(batchKind.rawValue)" }
    var title: String { "Checking the file" }
    var continuesOnItsOwn: Bool { true }

    static func uniqueKey(_ batchID: UUID) -> String { "import-preview:\(batchID.uuidString)" }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        let db = context.db
        guard let id = UUID(uuidString: context.job.subject), let batch = try await ImportBatch.find(id, on: db) else {
            throw LanternError(.notFound, "The uploaded file is no longer here. Upload it again.")
        }
        let page = "/\(batchKind.rawValue)/import/\(id.uuidString)"
        guard batch.status == .pending, batch.preview == nil, let data = batch.data else { return ("The file has been checked.", page) }
        let preview = try await ImportPreview.make(batchKind, filename: batch.filename, data: data, on: db)
        batch.preview = try JSONEncoder().encode(preview)
        try await db.writeTransaction { db in try await batch.save(on: db) }
        let result = preview.unreadable
            ?? "\(preview.rows.formatted()) rows read: \(preview.newCount.formatted()) new, \(preview.duplicates.count.formatted()) duplicates, \(preview.rejected.count.formatted()) rejected."
        return (result, page)
    }
}
