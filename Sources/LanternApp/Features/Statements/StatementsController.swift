import Fluent
import Foundation
import LanternCore
import StatementChecker
import Vapor

/// "Check a statement": upload a supplier's statement or give its address, see what it
/// covers and lacks with the evidence, and keep the result.
struct StatementsController: RouteCollection {
    static let uploadLimit = 20 * 1_048_576

    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewStatementChecks).grouped("statements")
        view.get(use: index)
        view.get(":checkID", use: show)
        let check = routes.requiring(.checkStatements).grouped("statements")
        check.on(.POST, "check", body: .collect(maxSize: ByteCount(value: Self.uploadLimit)), use: runCheck)
            .userInfo[AnySendableHashable(RouteTag.bodyLimit)] = Self.uploadLimit
    }

    struct HistoryRow: Encodable {
        let id: String
        let source: String
        let organisation: String
        let kind: String
        let met: String
        let checkedAt: String
    }

    struct IndexView: Encodable {
        let canCheck: Bool
        let url: String
        let text: String
        let errors: FormErrors
        let history: [HistoryRow]
    }

    private func indexView(req: Request, url: String = "", text: String = "", errors: FormErrors = FormErrors()) async throws -> IndexView {
        let records = try await StatementCheckRecord.query(on: req.db).sort(\.$checkedAt, .descending).limit(50).all()
        return IndexView(
            canCheck: req.currentUser?.can(.checkStatements) ?? false, url: url, text: text, errors: errors,
            history: records.map {
                HistoryRow(id: $0.id!.uuidString, source: $0.source, organisation: $0.organisation ?? "Not found",
                           kind: $0.kind, met: "\($0.metCount) of \($0.criteriaCount)", checkedAt: DisplayDate.dateTime($0.checkedAt))
            })
    }

    func index(req: Request) async throws -> Response {
        try await req.render("Statements/index", try await indexView(req: req), title: "Check a statement")
    }

    struct CheckForm: Content {
        var url: String?
        var file: File?
        /// The statement's text, pasted.
        var text: String?
    }

    func runCheck(req: Request) async throws -> Response {
        let form = try req.form(CheckForm.self)
        let url = (form.url ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch try await req.checkStatement(url: url, upload: form.file, text: form.text ?? "") {
        case .refused(let errors):
            return try await req.render("Statements/index", try await indexView(req: req, url: url, text: form.text ?? "", errors: errors),
                                        title: "Check a statement", status: .unprocessableEntity)
        case .checked(let record, _):
            return req.redirect(to: "/statements/\(record.id!.uuidString)")
        }
    }

    func show(req: Request) async throws -> Response {
        guard let id = req.parameters.get("checkID").flatMap(UUID.init(uuidString:)),
              let record = try await StatementCheckRecord.find(id, on: req.db) else { throw LanternError.notFound }
        let report = try JSONDecoder().decode(StatementReport.self, from: record.report)
        return try await StatementReviewController.render(req, record, report)
    }
}

/// The result of asking for a check: the stored record and its report, or why it was refused.
enum StatementCheckAttempt {
    case checked(StatementCheckRecord, StatementReport)
    case refused(FormErrors)
}

extension Request {
    /// Checks an uploaded statement, one at an address or pasted text, keeps the result and
    /// audits it. Errors are reported against the form's `file`, `url` or `text` field.
    func checkStatement(url: String, upload rawUpload: File?, text: String = "", supplierID: UUID? = nil) async throws -> StatementCheckAttempt {
        let upload = rawUpload.flatMap { $0.data.readableBytes > 0 ? $0 : nil }
        let pasted = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        let given = [!url.isEmpty, upload != nil, !pasted.isEmpty].filter { $0 }.count
        if given == 0 {
            errors.add("file", "Choose a statement file to upload, enter its web address, or paste its text")
        } else if given > 1 {
            errors.add(pasted.isEmpty ? "url" : "text", "Give the statement one way: a file, a web address or pasted text")
        } else if !url.isEmpty && !StatementFetcher.isURL(url) {
            errors.add("url", "Enter an address starting with http:// or https://")
        } else if pasted.utf8.count > StatementsController.uploadLimit {
            errors.add("text", "The pasted text is over 20 MB: upload the statement as a file instead")
        }
        guard errors.isEmpty else { return .refused(errors) }
        let field = !pasted.isEmpty ? "text" : upload == nil ? "url" : "file"
        let source = upload?.filename ?? (pasted.isEmpty ? url : "Pasted text")
        let report: StatementReport
        do {
            let data: Data
            if let upload {
                data = Data(buffer: upload.data)
            } else if !pasted.isEmpty {
                data = Data(pasted.utf8)
            } else {
                data = try await StatementFetcher.configured(ProcessInfo.processInfo.environment).fetch(url)
            }
            report = try await application.checkStatement(data, source: source)
        } catch let problem as ReadProblem {
            errors.add(field, "The statement could not be read: \(problem.description)")
            return .refused(errors)
        }
        let record = try StatementCheckRecord(report, source: source, checkedBy: currentUser?.id, at: lantern.now(), supplierID: supplierID)
        try await record.create(on: db)
        try await audit(.create, .statementCheck, id: record.id?.uuidString)
        return .checked(record, report)
    }
}

extension StatementCheckRecord {
    convenience init(_ report: StatementReport, source: String, checkedBy: UUID?, at: Date, supplierID: UUID?) throws {
        let findings = report.ukCriteria
        self.init(source: String(source.prefix(500)), kind: report.kind, organisation: report.facts.organisation,
                  metCount: findings.filter { $0.verdict == .met }.count, criteriaCount: findings.count,
                  report: try JSONEncoder().encode(report), checkedBy: checkedBy, checkedAt: at)
        self.supplierID = supplierID
        self.verdicts = StatementVerdicts.text(report)
    }
}

extension Supplier {
    /// Takes a check of its statement as its latest.
    func take(_ record: StatementCheckRecord, _ report: StatementReport, url: String?) {
        statementCheckID = record.id
        if let url, !url.isEmpty { statementURL = url }
        statementPeriodEnd = report.facts.periodEnd.flatMap(Day.init(parsing:))?.iso
        statementGaps = record.criteriaCount - record.metCount
        statementVerdicts = record.verdicts
        statementCheckedAt = record.checkedAt
        statementProblem = nil
    }
}

extension Application {
    /// Reads a statement's bytes and checks it, on the thread pool: reading a PDF waits on
    /// `pdftotext`. Throws `ReadProblem` when the bytes are not a readable statement.
    func checkStatement(_ data: Data, source: String) async throws -> StatementReport {
        let checker = try await statementCheck()
        let now = lantern.now()
        return try await threadPool.runIfActive {
            let document = try DocumentReader(maxBytes: StatementsController.uploadLimit).read(data)
            return checker.check(text: document.text, source: source, kind: document.kind.rawValue, now: now)
        }
    }

    private struct StatementCheckKey: StorageKey { typealias Value = StatementCheck }

    /// The checker with its model, loaded once on first use.
    func statementCheck() async throws -> StatementCheck {
        if let loaded = storage[StatementCheckKey.self] { return loaded }
        let loaded = try await threadPool.runIfActive { try StatementCheck.bundled() }
        storage[StatementCheckKey.self] = loaded
        return loaded
    }
}
