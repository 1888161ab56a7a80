import Fluent
import Foundation
import LanternCore
import Vapor

/// HR's staff list and a learning system's completions, from CSV. The whole file is checked
/// first; any bad row stops it, with every bad line listed, and nothing is written. A clean file
/// is written in one transaction.
struct TrainingImportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.manageTraining).grouped("training", "import")
        group.get(use: form)
        let limit = ImportLimits.maxBytes + 65_536
        group.on(.POST, body: .collect(maxSize: ByteCount(value: limit)), use: upload)
            .userInfo[AnySendableHashable(RouteTag.bodyLimit)] = limit
    }

    enum Kind: String, CaseIterable { case staff, completions }

    struct View: Encodable {
        let kind: String
        let staffColumns: [String]
        let completionColumns: [String]
        let errors: FormErrors
        let rejected: [String]
        let duplicates: [String]
        let ignored: [String]
        let imported: String?
    }

    private func render(_ req: Request, kind: Kind = .completions, errors: FormErrors = FormErrors(), rejected: [String] = [],
                        duplicates: [String] = [], ignored: [String] = [], imported: String? = nil) async throws -> Response {
        let failed = !errors.isEmpty || !rejected.isEmpty
        return try await req.render("Training/import", View(
            kind: kind.rawValue,
            staffColumns: TrainingImport.staffColumns.required + TrainingImport.staffColumns.optional.map { "\($0) (optional)" },
            completionColumns: TrainingImport.completionColumns.required + TrainingImport.completionColumns.optional.map { "\($0) (optional)" },
            errors: errors, rejected: rejected, duplicates: duplicates, ignored: ignored, imported: imported),
            title: "Import training records", status: failed ? .unprocessableEntity : .ok)
    }

    func form(req: Request) async throws -> Response { try await render(req) }

    struct UploadForm: Content { var kind: String?; var file: File? }

    func upload(req: Request) async throws -> Response {
        let form = try req.form(UploadForm.self)
        var errors = FormErrors()
        let kind = Kind(rawValue: form.kind ?? "")
        if kind == nil { errors.add("kind", "Choose what the file holds") }
        guard let file = form.file, file.data.readableBytes > 0 else {
            errors.add("file", (form.file?.filename ?? "").isEmpty ? "Choose a CSV file to import" : "The file \(form.file!.filename) is empty")
            return try await render(req, kind: kind ?? .completions, errors: errors)
        }
        if let problem = ImportLimits.problem(size: file.data.readableBytes) { errors.add("file", problem) }
        guard errors.isEmpty, let kind else { return try await render(req, kind: kind ?? .completions, errors: errors) }
        let csv: CSVFile
        do { csv = try CSVFile(data: Data(buffer: file.data)) } catch {
            errors.add("file", "\(file.filename) cannot be read as CSV: \(error)")
            return try await render(req, kind: kind, errors: errors)
        }
        switch kind {
        case .staff: return try await importStaff(req, csv, filename: file.filename)
        case .completions: return try await importCompletions(req, csv, filename: file.filename)
        }
    }

    static func apply(_ row: StaffImportRow, to person: StaffMember, now: Date) {
        person.staffNumber = row.staffNumber
        person.name = row.name
        person.email = row.email
        person.jobTitle = row.jobTitle
        person.team = row.team
        person.directorate = row.directorate
        person.managerEmail = row.managerEmail
        person.startedOn = row.startedOn?.iso
        person.updatedAt = now
    }

    private func importStaff(_ req: Request, _ csv: CSVFile, filename: String) async throws -> Response {
        let plan = TrainingImport.staff(csv, today: req.today)
        guard plan.canImport else {
            try await req.audit(.importData, .staffMember, outcome: .denied, detail: "\(filename): \(plan.rejected.count) rows refused")
            return try await render(req, kind: .staff, rejected: plan.rejected.map(\.reason) + (plan.rowCount == 0 ? ["The file has a header but no rows"] : []),
                                    ignored: plan.ignoredColumns)
        }
        let now = req.lantern.now()
        let (added, updated) = try await req.db.writeTransaction { db -> (Int, Int) in
            let existing = Dictionary(try await StaffMember.query(on: db).all().map { ($0.staffNumber, $0) }, uniquingKeysWith: { a, _ in a })
            var added = 0, updated = 0
            for row in plan.newRows {
                let person = existing[row.staffNumber] ?? StaffMember()
                if person.id == nil { added += 1 } else { updated += 1 }
                Self.apply(row, to: person, now: now)
                try await person.save(on: db)
            }
            try await req.audit(.importData, .staffMember, detail: "\(filename): \(added) added, \(updated) updated", on: db)
            return (added, updated)
        }
        return try await render(req, kind: .staff, ignored: plan.ignoredColumns,
                                imported: "\(filename): \(added) \(added == 1 ? "person" : "people") added and \(updated) updated on the staff list.")
    }

    private func importCompletions(_ req: Request, _ csv: CSVFile, filename: String) async throws -> Response {
        let plan = try await CompletionRecords.plan(csv, today: req.today, on: req.db)
        let duplicates = plan.duplicates.map { "Line \($0.row.line): \($0.reason); not added again" }
        guard plan.canImport else {
            try await req.audit(.importData, .trainingCompletion, outcome: .denied, detail: "\(filename): \(plan.rejected.count) rows refused")
            return try await render(req, kind: .completions, rejected: plan.rejected.map(\.reason) + (plan.rowCount == 0 ? ["The file has a header but no rows"] : []),
                                    duplicates: duplicates, ignored: plan.ignoredColumns)
        }
        let now = req.lantern.now(), user = req.currentUser?.id
        try await req.db.writeTransaction { db in
            try await CompletionRecords.record(plan.newRows, source: "import: \(filename.prefix(150))", by: user, now: now, on: db)
            try await req.audit(.importData, .trainingCompletion, detail: "\(filename): \(plan.newRows.count) added, \(duplicates.count) already held", on: db)
        }
        return try await render(req, kind: .completions, duplicates: duplicates, ignored: plan.ignoredColumns,
                                imported: "\(filename): \(plan.newRows.count) \(plan.newRows.count == 1 ? "completion" : "completions") recorded.")
    }
}

/// Completions from a learning system, by file or through the API: checked against the staff
/// list, the courses and what is already recorded (`TrainingImport.completions`), then written.
enum CompletionRecords {
    static func plan(_ file: CSVFile, today: Day, on db: any Database) async throws -> ImportPlan<CompletionImportRow> {
        let staff = try await StaffMember.query(on: db).all()
        let byNumber = Dictionary(staff.map { ($0.staffNumber, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let byEmail = Dictionary(staff.compactMap { p in p.email.map { ($0.lowercased(), p.id!) } }, uniquingKeysWith: { a, _ in a })
        let courses = Dictionary(try await TrainingCourse.query(on: db).all().map { ($0.name.lowercased(), $0.id!) }, uniquingKeysWith: { a, _ in a })
        let recorded = Set(try await TrainingCompletion.query(on: db).field(\.$id).field(\.$staff.$id).field(\.$course.$id).field(\.$completedOn).all()
            .map { "\($0.$staff.id.uuidString)|\($0.$course.id.uuidString)|\($0.completedOn)" })
        return TrainingImport.completions(file, staffByNumber: byNumber, staffByEmail: byEmail, courses: courses, recorded: recorded, today: today)
    }

    /// Writes checked rows; the caller holds the transaction and writes the audit row.
    static func record(_ rows: [CompletionImportRow], source: String, by user: UUID?, now: Date, on db: any Database) async throws {
        for row in rows {
            let c = TrainingCompletion()
            c.$staff.id = row.staffID
            c.$course.id = row.courseID
            c.completedOn = row.completedOn.iso
            c.provider = row.provider
            c.evidence = row.evidence
            c.source = source
            c.recordedBy = user
            c.recordedAt = now
            try await c.create(on: db)
        }
    }
}
