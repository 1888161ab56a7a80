import Fluent
import Foundation
import LanternCore
import Vapor

/// Importing suppliers or contracts from CSV in steps: upload, preview (every rejected row
/// with its line and reason, every duplicate with what it matches), then confirm. The file
/// is kept between the steps so what is imported is exactly what was previewed. Reading the
/// file and importing it are jobs (`ImportPreviewJob`, `ImportJob`).
struct ImportController: RouteCollection {
    let kind: ImportBatch.Kind

    var permission: Permission { kind == .suppliers ? .editSuppliers : .editContracts }
    var base: String { "/\(kind.rawValue)/import" }

    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(permission).grouped(PathComponent(stringLiteral: kind.rawValue), "import")
        group.get(use: uploadForm)
        let limit = ImportLimits.maxBytes + 65_536
        group.on(.POST, body: .collect(maxSize: ByteCount(value: limit)), use: upload)
            .userInfo[AnySendableHashable(RouteTag.bodyLimit)] = limit
        group.get(":batchID", use: preview)
        group.get(":batchID", "rejected.csv", use: rejectedCSV)
        group.post(":batchID", "confirm", use: confirm)
        group.post(":batchID", "discard", use: discard)
    }

    var columns: (required: [String], optional: [String]) {
        kind == .suppliers ? (SupplierImport.requiredColumns, SupplierImport.optionalColumns)
            : (ContractImport.requiredColumns, ContractImport.optionalColumns)
    }

    struct UploadView: Encodable {
        let kind: String
        let noun: String
        let action: String
        let required: [String]
        let optional: [String]
        let limitMB: Int
        let errors: FormErrors
    }

    private func uploadView(errors: FormErrors = FormErrors()) -> UploadView {
        UploadView(kind: kind.rawValue, noun: kind == .suppliers ? "suppliers" : "contracts", action: base,
                   required: columns.required, optional: columns.optional, limitMB: ImportLimits.maxBytes / 1_048_576, errors: errors)
    }

    func uploadForm(req: Request) async throws -> Response {
        try await req.render("Suppliers/import", uploadView(), title: "Import \(kind.rawValue)")
    }

    struct UploadForm: Content { var file: File? }

    func upload(req: Request) async throws -> Response {
        let form = try req.form(UploadForm.self)
        var errors = FormErrors()
        guard let file = form.file, file.data.readableBytes > 0 else {
            errors.add("file", (form.file?.filename ?? "").isEmpty ? "Choose a CSV file to import" : "The file \(form.file!.filename) is empty")
            return try await refuse(req, errors)
        }
        if let problem = ImportLimits.problem(size: file.data.readableBytes) {
            errors.add("file", problem)
            return try await refuse(req, errors)
        }
        let data = Data(buffer: file.data)
        if data.prefix(5).elementsEqual([0x25, 0x50, 0x44, 0x46, 0x2D]) || data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04]) {
            errors.add("file", "\(file.filename) is not a CSV file (it looks like a PDF or a spreadsheet); save it from the spreadsheet as CSV UTF-8")
            return try await refuse(req, errors)
        }
        if data.allSatisfy({ [0x09, 0x0A, 0x0D, 0x20].contains($0) }) {
            errors.add("file", "\(file.filename) could not be read: the file is empty")
            return try await refuse(req, errors)
        }
        // The file is kept, and read and checked by a job: a file of 100,000 rows is planned
        // against the whole register, which no request should wait for.
        let batch = ImportBatch(kind: kind, filename: String(file.filename.prefix(200)), data: data, createdBy: req.currentUser?.id, at: req.lantern.now())
        try await req.write(batch, .create, .importBatch, detail: "\(kind.rawValue) file uploaded for preview")
        _ = try await queuePreview(req, batch)
        return req.redirect(to: "\(base)/\(batch.id!.uuidString)")
    }

    private func queuePreview(_ req: Request, _ batch: ImportBatch) async throws -> Job {
        try await JobQueue.enqueue(kind: ImportPreviewJob(batchKind: kind).kind, subject: batch.id!.uuidString,
                                   uniqueKey: ImportPreviewJob.uniqueKey(batch.id!), owner: req.currentUser?.id,
                                   nextPath: "\(base)/\(batch.id!.uuidString)", on: req.db, now: req.lantern.now())
    }

    private func refuse(_ req: Request, _ errors: FormErrors) async throws -> Response {
        try await req.render("Suppliers/import", uploadView(errors: errors), title: "Import \(kind.rawValue)", status: .unprocessableEntity)
    }

    private func findBatch(_ req: Request) async throws -> ImportBatch {
        guard let id = req.parameters.get("batchID").flatMap(UUID.init(uuidString:)),
              let batch = try await ImportBatch.find(id, on: req.db), batch.kind == kind.rawValue else { throw LanternError.notFound }
        return batch
    }

    struct PreviewView: Encodable {
        let id: String
        let noun: String
        let base: String
        let filename: String
        let status: String
        let summary: String
        let encoding: String
        let rows: Int
        let newCount: Int
        let duplicateCount: Int
        let duplicates: [ImportPreview.Duplicate]
        let rejectedCount: Int
        let rejected: [ImportPreview.Rejected]
        let moreRejected: Int
        let ignoredColumns: String
        let canImport: Bool
        let pending: Bool
        /// "1 new supplier", "12 new suppliers".
        var newNoun = ""
    }

    static let shownRejections = 1000

    func preview(req: Request) async throws -> Response {
        let batch = try await findBatch(req)
        let noun = kind.rawValue
        guard batch.status == .pending, batch.data != nil else {
            let view = PreviewView(id: batch.id!.uuidString, noun: noun, base: base, filename: batch.filename, status: batch.status.rawValue,
                                   summary: batch.summary ?? "", encoding: "", rows: 0, newCount: 0, duplicateCount: 0, duplicates: [],
                                   rejectedCount: 0, rejected: [], moreRejected: 0, ignoredColumns: "", canImport: false, pending: false)
            return try await req.render("Suppliers/import-preview", view, title: "Import of \(batch.filename)")
        }
        // Until the file has been checked, its job's page shows how far the check has got.
        guard let stored = batch.preview else {
            let job = try await queuePreview(req, batch)
            guard job.ownerID == req.currentUser?.id else {
                throw LanternError(.conflict, "This file is still being checked. Try again in a minute.")
            }
            return req.redirect(to: "/jobs/\(job.id!.uuidString)")
        }
        let summary = try JSONDecoder().decode(ImportPreview.self, from: stored)
        if let unreadable = summary.unreadable { throw LanternError(.unprocessableEntity, unreadable) }
        let view = PreviewView(
            id: batch.id!.uuidString, noun: noun, base: base, filename: batch.filename, status: batch.status.rawValue, summary: "",
            encoding: summary.encoding, rows: summary.rows, newCount: summary.newCount,
            duplicateCount: summary.duplicates.count, duplicates: Array(summary.duplicates.prefix(Self.shownRejections)),
            rejectedCount: summary.rejected.count,
            rejected: Array(summary.rejected.prefix(Self.shownRejections)),
            moreRejected: max(0, summary.rejected.count - Self.shownRejections),
            ignoredColumns: summary.ignored.joined(separator: ", "), canImport: summary.canImport, pending: true,
            newNoun: summary.newCount == 1 ? String(noun.dropLast()) : noun)
        return try await req.render("Suppliers/import-preview", view, title: "Check the import of \(batch.filename)")
    }

    func rejectedCSV(req: Request) async throws -> Response {
        let batch = try await findBatch(req)
        guard let stored = batch.preview, let summary = try? JSONDecoder().decode(ImportPreview.self, from: stored) else { throw LanternError.notFound }
        return req.csvDownload(filename: "rejected-rows.csv", header: ["line", "reason"],
                               rows: summary.rejected.map { [String($0.line), $0.reason] })
    }

    struct ConfirmForm: Content { var duplicates: String? }

    /// Hands the import to the job queue and shows its progress: writing up to 100,000 rows is
    /// not held inside a web request.
    func confirm(req: Request) async throws -> Response {
        let batch = try await findBatch(req)
        guard batch.status == .pending, batch.data != nil else {
            throw LanternError(.conflict, "This import has already been \(batch.status). Upload the file again to import it again.")
        }
        let merge = try req.form(ConfirmForm.self).duplicates == "merge"
        let job = try await JobQueue.enqueue(kind: ImportJob(batchKind: kind).kind, subject: batch.id!.uuidString, options: merge ? "merge" : "skip",
                                             uniqueKey: ImportJob.uniqueKey(batch.id!), owner: req.currentUser?.id, nextPath: "/\(kind.rawValue)",
                                             on: req.db, now: req.lantern.now())
        return req.redirect(to: "/jobs/\(job.id!.uuidString)")
    }

    func discard(req: Request) async throws -> Response {
        let batch = try await findBatch(req)
        guard batch.status == .pending else { return req.redirect(to: "/\(kind.rawValue)") }
        batch.status = .discarded
        batch.data = nil
        batch.preview = nil
        try await req.write(batch, .delete, .importBatch, detail: "discarded without importing")
        return req.redirect(to: "/\(kind.rawValue)", saying: "Import of \(batch.filename) discarded. Nothing was imported.")
    }
}
