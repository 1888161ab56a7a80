import Foundation
import LanternCore
import Vapor

/// `/cases/import`: the safeguarding lead moves the organisation's old records in from the
/// system it used before. Every file is checked in full; one bad row and nothing goes in.
struct RecordsImportController: RouteCollection {
    /// The most rows one file may hold: several years of a large council's cases, checked and
    /// sealed in one request.
    static let maxRows = 20_000

    func boot(routes: any RoutesBuilder) throws {
        // Moving records in writes cases for every team, so it is for those who oversee them all
        // (the safeguarding lead, who also edits cases).
        let group = routes.requiring(.overseeAllCases).grouped("cases", "import")
        group.get(use: page)
        group.get(":kind", "template.csv", use: template)
        let limit = 3 * ImportLimits.maxBytes + 65_536
        group.on(.POST, body: .collect(maxSize: ByteCount(value: limit)), use: upload)
            .userInfo[AnySendableHashable(RouteTag.bodyLimit)] = limit
    }

    struct FileView: Encodable {
        let kind: String
        let label: String
        let required: [String]
        let optional: [String]
        let error: String?
    }

    struct View: Encodable {
        let files: [FileView]
        let errors: FormErrors
        let rejected: [String]
        let ignored: [String]
        let duplicates: [String]
        /// After a check that found nothing wrong: what the files hold.
        let ready: RecordsImport.Summary?
    }

    func page(req: Request) async throws -> Response {
        try await render(req, errors: FormErrors())
    }

    func render(_ req: Request, errors: FormErrors, check: RecordsImport? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let files = RecordsImportColumns.Kind.allCases.map {
            FileView(kind: $0.rawValue, label: $0.fileLabel, required: $0.columns.required, optional: $0.columns.optional, error: errors.byField[$0.rawValue])
        }
        let ready = check.flatMap { $0.canImport ? RecordsImport.Summary(cases: $0.cases.count, referrals: $0.referrals.count, concerns: $0.concerns.count) : nil }
        return try await req.render("Cases/import", View(files: files, errors: errors, rejected: check?.rejected.map(\.text) ?? [],
                                                         ignored: check?.ignoredColumns ?? [], duplicates: check?.possibleDuplicates ?? [], ready: ready),
                                    title: "Move in records from a former system", status: status)
    }

    func template(req: Request) async throws -> Response {
        guard let kind = RecordsImportColumns.Kind(rawValue: req.parameters.get("kind") ?? "") else { throw LanternError.notFound }
        let rows = kind.template
        return req.csvDownload(filename: "lantern-\(kind.rawValue)-template.csv", header: rows[0], rows: Array(rows.dropFirst()))
    }

    struct UploadForm: Content {
        var cases: File?
        var referrals: File?
        var concerns: File?
        /// "check" reads the files and says what would happen; "import" moves them in.
        var action: String?
    }

    func upload(req: Request) async throws -> Response {
        let form = try req.form(UploadForm.self)
        var errors = FormErrors()
        var files: [RecordsImport.File] = []
        for (kind, upload) in [(RecordsImportColumns.Kind.cases, form.cases), (.referrals, form.referrals), (.concerns, form.concerns)] {
            guard let upload, !upload.filename.isEmpty || upload.data.readableBytes > 0 else { continue }
            let name = upload.filename.isEmpty ? "\(kind.rawValue).csv" : String(upload.filename.prefix(120))
            if upload.data.readableBytes == 0 { errors.add(kind.rawValue, "The file \(name) is empty"); continue }
            if let problem = ImportLimits.problem(size: upload.data.readableBytes) { errors.add(kind.rawValue, problem); continue }
            do {
                files.append(.init(kind: kind, name: name, csv: try CSVFile(data: Data(buffer: upload.data), maxRows: Self.maxRows)))
            } catch {
                errors.add(kind.rawValue, "\(name) cannot be read as CSV: \(error)")
            }
        }
        if files.isEmpty && errors.isEmpty { errors.add("cases", "Choose at least one file: cases, referrals or concerns") }
        guard errors.isEmpty else { return try await render(req, errors: errors, status: .unprocessableEntity) }
        let check = try await RecordsImport.check(files, req: req)
        let names = files.map(\.name).joined(separator: ", ")
        guard check.canImport else {
            try await req.audit(.importData, .case, outcome: .denied, detail: "\(names): \(check.rejected.count) rows refused")
            return try await render(req, errors: errors, check: check, status: .unprocessableEntity)
        }
        guard form.action == "import" else { return try await render(req, errors: errors, check: check) }
        let summary = try await check.save(req, files: names)
        let counts = [(summary.cases, "case"), (summary.referrals, "referral"), (summary.concerns, "concern")].filter { $0.0 > 0 }
            .map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
        return req.redirect(to: "/cases?show=all", saying: "Moved in: \(counts.joined(separator: ", ")).")
    }
}
