import Fluent
import Foundation
import LanternAPI
import LanternCore
import Vapor

/// The partnership figures and the audit log over the API.
extension LanternAPIService {
    /// The same report the statistics page builds, suppressed by the same threshold.
    func getStatistics(_ input: Operations.GetStatistics.Input) async throws -> Operations.GetStatistics.Output {
        let req = try await request(requiring: .viewPartnershipStatistics)
        var problems: [APIProblem.FieldError] = []
        if let year = input.query.year, !(2000...2100).contains(year) { problems.append(.init(field: "year", detail: "must be from 2000 to 2100")) }
        if let quarter = input.query.quarter, !(1...4).contains(quarter) { problems.append(.init(field: "quarter", detail: "must be from 1 to 4")) }
        if let threshold = input.query.threshold, !(2...50).contains(threshold) { problems.append(.init(field: "threshold", detail: "must be from 2 to 50")) }
        guard problems.isEmpty else { throw APIProblem(.badRequest, title: "A parameter cannot be used", errors: problems) }
        let organisation = try await req.organisation()
        let current = organisation?.currentFinancialYear(now: req.lantern.now()) ?? FinancialYear.containing(req.lantern.now())
        let year = input.query.year ?? current.endYear
        let period = input.query.quarter.map { ReportPeriod.quarter($0, endYear: year, endMonth: current.endMonth, endDay: current.endDay) }
            ?? ReportPeriod.financialYear(endYear: year, endMonth: current.endMonth, endDay: current.endDay)
        let threshold = input.query.threshold ?? Suppression.defaultThreshold
        let report = try await PartnershipReport.build(on: req.db, period: period, threshold: threshold)
        try await req.audit(.read, .partnershipReport, detail: "API, \(period.label), threshold \(threshold)")
        return .ok(.init(body: .json(.init(
            period: report.period, comparedWith: report.comparedWith, threshold: report.threshold, cases: report.cases,
            previousCases: report.previousCases, concerns: report.concerns, summary: report.summary,
            types: report.types.map { .init(label: $0.label, total: $0.total, only: $0.only, withOthers: $0.withOthers, percent: $0.percent, previous: $0.previous) },
            tables: report.tables.map { table in
                .init(title: table.title, rows: table.rows.map { .init(label: $0.label, count: $0.count, percent: $0.percent, previous: $0.previous) },
                      unknown: table.unknown, total: table.total, previousTotal: table.previousTotal, note: table.note)
            }))))
    }

    /// Newest first. Typed reasons stay sealed unless the token may read them, as on the page.
    func listAuditEntries(_ input: Operations.ListAuditEntries.Input) async throws -> Operations.ListAuditEntries.Output {
        let req = try await request(requiring: .viewAuditLog)
        let action = try checked(input.query.action, "action", max: 40), entity = try checked(input.query.entity, "entity", max: 40)
        let limit = try APIPage.limit(input.query.limit)
        let cursor = try APICursor.read(try checked(input.query.cursor, "cursor", max: 200))
        let query = AuditEntry.query(on: req.db)
        if !action.isEmpty { query.filter(\.$action == action) }
        if !entity.isEmpty { query.filter(\.$entityType == entity) }
        if let cursor {
            guard let sequence = Int64(cursor.key) else { throw APIProblem(.badRequest, title: "The cursor cannot be used", errors: [.init(field: "cursor", detail: "not a cursor Lantern made")]) }
            query.filter(\.$sequence < sequence)
        }
        let rows = try await query.sort(\.$sequence, .descending).limit(limit + 1).all()
        let page = rows.prefix(limit)
        let keys = req.currentUser!.can(.readAuditReasons) ? req.lookupKeys : nil
        try await req.audit(.read, .auditLog, detail: "API, \(page.count) rows")
        let next = rows.count > limit ? page.last.map { APICursor(key: String($0.sequence), id: $0.id!).text } : nil
        return .ok(.init(body: .json(.init(items: page.map { e in
            .init(sequence: e.sequence, at: e.at, actorId: e.actorID, actorRole: e.actorRole, action: e.action, entity: e.entityType,
                  entityId: e.entityID, outcome: e.outcome, requestId: e.requestID,
                  detail: e.detail.map { AuditSealedText.readable($0, entityType: e.entityType, entityID: e.entityID, keys: keys) }, hash: e.hash)
        }, nextCursor: next))))
    }
}
