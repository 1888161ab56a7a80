import Fluent
import Foundation
import LanternAPI
import LanternCore
import Vapor

/// Partners' data returns over the API: the same checks and writing as the form and the CSV
/// (`DataReturnSubmission`, `DataReturnImport`), so a return means the same however it came.
extension LanternAPIService {
    func submitDataReturn(_ input: Operations.SubmitDataReturn.Input) async throws -> Operations.SubmitDataReturn.Output {
        let req = try await request(requiring: .submitDataReturns)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        var errors = FormErrors()
        let values = ["partner_id": body.partnerId ?? "", "period_start": body.periodStart, "period_end": body.periodEnd,
                      "source_kind": body.sourceKind ?? "", "note": body.note ?? ""].mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let partner = try await DataReturnSubmission.partner(for: req.currentUser!, chosen: values["partner_id"]!, on: req.db, &errors)
        let header = try await DataReturnSubmission.header(values, partner: partner, today: req.today, on: req.db, &errors)
        if (body.records == nil) == (body.counts == nil) { errors.add("records", "Give exactly one of records or counts") }
        guard errors.isEmpty, let header else { throw APIProblem.invalid(errors) }
        let areas = try await PartnershipArea.names(on: req.db)
        let saved: DataReturn
        if let records = body.records {
            saved = try await Self.submitRecords(records, header: header, areas: areas, req: req)
        } else {
            saved = try await Self.submitCounts(body.counts!, header: header, areas: areas, req: req)
        }
        return .created(.init(body: .json(Self.dataReturn(saved, partner: header.partner.name))))
    }

    private static func submitRecords(_ records: [Components.Schemas.ReturnRecordInput], header: DataReturnSubmission.Header,
                                      areas: [String], req: Request) async throws -> DataReturn {
        guard records.count <= CSVFile.maxRows else {
            throw APIProblem(.unprocessableEntity, title: "Too many records", "Send at most \(CSVFile.maxRows) records in one return.")
        }
        guard !records.isEmpty else {
            throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", errors: [.init(field: "/records", detail: "A return of records has at least one")])
        }
        // The rows as the CSV template has them: line n + 2 is record n (line 1 is the header).
        let columns = DataReturnImport.columns.required + DataReturnImport.columns.optional
        let file = CSVFile(header: columns, rows: records.map {
            [$0.date, $0.exploitationType, $0.ageGroup ?? "", $0.gender ?? "", $0.nationality ?? "", $0.area ?? "", $0.outcome ?? "",
             $0.sourceKind ?? "", $0.sharedKey ?? ""]
        })
        let plan = DataReturnImport.plan(file, from: header.start, to: header.end, areas: areas, defaultSource: header.sourceKind)
        guard plan.rejected.isEmpty else {
            try await req.audit(.importData, .dataReturn, outcome: .denied, detail: "API, \(header.partner.name): \(plan.rejected.count) records refused")
            throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", "Nothing was received.", errors: plan.rejected.map {
                .init(field: "/records/\($0.line - 2)", detail: $0.reason.replacingOccurrences(of: "Line \($0.line): ", with: ""))
            })
        }
        return try await DataReturnSubmission.write(header, form: "records", total: plan.newRows.count, records: plan.newRows, figures: [],
                                                    channel: "API", req: req)
    }

    /// Counts by key become the counts form's fields, so they are checked by the same rules.
    private static func submitCounts(_ counts: Components.Schemas.ReturnCountsInput, header: DataReturnSubmission.Header,
                                     areas: [String], req: Request) async throws -> DataReturn {
        var values = ["total": String(counts.total)]
        var pointers = ["total": "/counts/total"]
        var errors = FormErrors()
        func take(_ group: Components.Schemas.CountsByKey?, _ name: String, field: (String) -> String?, allowed: String) {
            for (key, n) in (group?.additionalProperties ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let formField = field(key) else { errors.add("counts/\(name)/\(key)", "\(key.prefix(60)) is not one of \(allowed)"); continue }
                values[formField] = String(n)
                pointers[formField] = "/counts/\(name)/\(key)"
            }
        }
        take(counts.types, "types", field: { ExploitationCategory(rawValue: $0).map { "type_\($0.rawValue)" } },
             allowed: ExploitationCategory.allCases.map(\.rawValue).joined(separator: ", "))
        take(counts.ageGroups, "age_groups", field: { ["child", "adult"].contains($0) ? "age_\($0)" : nil }, allowed: "child, adult")
        take(counts.genders, "genders", field: { ["female", "male"].contains($0) ? "gender_\($0)" : nil }, allowed: "female, male")
        take(counts.areas, "areas", field: { key in areas.firstIndex(of: key).map { "area_\($0)" } },
             allowed: areas.isEmpty ? "the organisation's areas (it has none yet)" : areas.joined(separator: ", "))
        take(counts.outcomes, "outcomes", field: { ReturnOutcome(rawValue: $0).flatMap { $0 == .unknown ? nil : "outcome_\($0.rawValue)" } },
             allowed: ReturnOutcome.allCases.filter { $0 != .unknown }.map(\.rawValue).joined(separator: ", "))
        values["nationalities"] = (counts.nationalities?.additionalProperties ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
        pointers["nationalities"] = "/counts/nationalities"
        var formErrors = FormErrors()
        let checked = DataReturnSubmission.counts(values, areas: areas, &formErrors)
        for item in formErrors.items { errors.add(String((pointers[item.field] ?? "/counts/\(item.field)").dropFirst()), item.message) }
        guard errors.isEmpty, let checked else { throw APIProblem.invalid(errors) }
        return try await DataReturnSubmission.write(header, form: "counts", total: checked.total, records: [], figures: checked.figures,
                                                    channel: "API", req: req)
    }

    func listDataReturns(_ input: Operations.ListDataReturns.Input) async throws -> Operations.ListDataReturns.Output {
        // As on the returns pages: partners' staff see their own organisation's, the council's analysts every partner's.
        let req = try await request(requiring: .submitDataReturns)
        let user = req.currentUser!
        let limit = try APIPage.limit(input.query.limit)
        let cursor = try APICursor.read(try checked(input.query.cursor, "cursor", max: 200))
        let query = DataReturn.query(on: req.db)
        if !user.can(.viewPartnerReturns) { query.filter(\.$partner.$id == (user.partnerID ?? UUID())) }
        let rows = try await query.page(after: cursor, by: \.$periodStart, limit: limit).all()
        let (slice, next) = APICursor.split(rows, limit: limit) { ($0.periodStart, $0.id!) }
        let page = Array(slice)
        let partnerIDs = Set(page.map { $0.$partner.id })
        let names = Dictionary(uniqueKeysWithValues: try await PartnerOrganisation.query(on: req.db).filter(\.$id ~~ partnerIDs).all().map { ($0.id!, $0.name) })
        try await req.audit(.read, .dataReturn, detail: "API list, \(page.count) returns")
        return .ok(.init(body: .json(.init(items: page.map { Self.dataReturn($0, partner: names[$0.$partner.id] ?? "") }, nextCursor: next))))
    }

    static func dataReturn(_ r: DataReturn, partner: String) -> Components.Schemas.DataReturn {
        .init(id: r.id!.uuidString, partner: partner, periodStart: r.periodStart, periodEnd: r.periodEnd,
              form: r.form == "counts" ? .counts : .records, sourceKind: r.sourceKind, total: r.total, submittedAt: r.submittedAt, withdrawnAt: r.withdrawnAt)
    }
}
