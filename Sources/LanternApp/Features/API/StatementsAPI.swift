import Fluent
import Foundation
import LanternAPI
import LanternCore
import StatementChecker
import Vapor

/// Statement checks over the API: the page's own check (`Request.checkStatement`), kept and
/// audited as the page keeps it, with text as a third way in.
extension LanternAPIService {
    func submitStatementCheck(_ input: Operations.SubmitStatementCheck.Input) async throws -> Operations.SubmitStatementCheck.Output {
        let req = try await request(requiring: .checkStatements)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        let given = [body.text != nil, body.url != nil, body.fileBase64 != nil].filter { $0 }.count
        guard given == 1 else {
            throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", "Give exactly one of text, url or file_base64.",
                             errors: [.init(field: "/", detail: given == 0 ? "none of text, url or file_base64 given" : "more than one of text, url or file_base64 given")])
        }
        var upload: File?
        var field = "/url"
        if let text = body.text {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw APIProblem.invalid(FormErrors([("text", "The text is empty")])) }
            upload = File(data: ByteBuffer(string: text), filename: "submitted text.txt")
            field = "/text"
        } else if let file = body.fileBase64 {
            let name = (body.fileName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw APIProblem.invalid(FormErrors([("file_name", "Give the file's name, such as statement.pdf")])) }
            let bytes = Array(file.data)
            guard !bytes.isEmpty else { throw APIProblem.invalid(FormErrors([("file_base64", "The file is empty")])) }
            upload = File(data: ByteBuffer(bytes: bytes), filename: String(name.prefix(200)))
            field = "/file_base64"
        }
        switch try await req.checkStatement(url: (body.url ?? "").trimmingCharacters(in: .whitespacesAndNewlines), upload: upload) {
        case .refused(let errors):
            throw APIProblem(.unprocessableEntity, title: "The statement could not be checked", errors.items.first?.message,
                             errors: errors.items.map { .init(field: field, detail: $0.message) })
        case .checked(let record, let report):
            return .created(.init(body: .json(Self.statementCheck(record, report))))
        }
    }

    func getStatementCheck(_ input: Operations.GetStatementCheck.Input) async throws -> Operations.GetStatementCheck.Output {
        let req = try await request(requiring: .viewStatementChecks)
        guard let record = try await StatementCheckRecord.find(try id(input.path.checkId), on: req.db) else { throw APIProblem.notFound }
        let report = try JSONDecoder().decode(StatementReport.self, from: record.report)
        try await req.audit(.read, .statementCheck, id: record.id?.uuidString, detail: "API")
        return .ok(.init(body: .json(Self.statementCheck(record, report))))
    }

    static func statementCheck(_ record: StatementCheckRecord, _ report: StatementReport) -> Components.Schemas.StatementCheck {
        func finding(_ f: StatementReport.Finding) -> Components.Schemas.Finding {
            .init(id: f.id, title: f.title, requirement: f.requirement, verdict: .init(rawValue: f.verdict.rawValue) ?? .notFound,
                  confidence: f.confidence, note: f.note,
                  evidence: f.evidence.map { .init(index: $0.index, sentence: $0.sentence, score: $0.score, status: .init(rawValue: $0.status.rawValue) ?? .vague) })
        }
        let facts = report.facts
        return .init(id: record.id!.uuidString, status: .done, source: record.source, kind: record.kind, organisation: record.organisation,
                     checkedAt: record.checkedAt, met: record.metCount, criteria: record.criteriaCount, sentenceCount: report.sentenceCount,
                     periodStart: facts.periodStart, periodEnd: facts.periodEnd, approvingBody: facts.approvingBody, approvalDate: facts.approvalDate,
                     signatoryName: facts.signatoryName, signatoryRole: facts.signatoryRole,
                     ukCriteria: report.ukCriteria.map(finding), aimsCriteria: report.aimsCriteria.map(finding), warnings: report.warnings)
    }
}
