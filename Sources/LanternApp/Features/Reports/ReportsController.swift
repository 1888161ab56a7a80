import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

/// The partnership statistics pages: a report for a financial year, a quarter or a custom
/// period beside the one before; its CSV; dated snapshots that later edits do not change.
/// Open to the statistics permission only (the partnership analyst sees nothing else).
struct ReportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewPartnershipStatistics).grouped("reports")
        view.get(use: show)
        view.get("report.csv", use: csv)
        view.post("snapshots", use: saveSnapshot)
        view.get("snapshots", ":snapshotID", use: showSnapshot)
    }

    struct Choice: Encodable {
        let kind: String
        let year: Int
        let quarter: Int
        let from: String
        let to: String
        let threshold: Int
        var query: String { "period=\(kind)&year=\(year)&quarter=\(quarter)&from=\(from)&to=\(to)&threshold=\(threshold)" }
    }

    static func mayUnsuppress(_ req: Request) -> Bool { req.currentUser?.can(.viewUnsuppressedStatistics) == true }

    /// Reads the period from the query, with a message for each thing that cannot be used.
    static func choice(_ req: Request) async throws -> (ReportPeriod, Choice, FormErrors) {
        let organisation = try await req.organisation()
        let current = organisation?.currentFinancialYear(now: req.lantern.now()) ?? FinancialYear.containing(req.lantern.now())
        var errors = FormErrors()
        let kind = ["year", "quarter", "custom"].contains(req.queryValue("period")) ? req.queryValue("period") : "year"
        let year = Int(req.queryValue("year")).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? current.endYear
        let quarter = Int(req.queryValue("quarter")).flatMap { (1...4).contains($0) ? $0 : nil } ?? 1
        var threshold = Suppression.defaultThreshold
        if !req.queryValue("threshold").isEmpty {
            // 1 shows every small number: for internal papers, and only for those who may see them.
            let lowest = Self.mayUnsuppress(req) ? 1 : 2
            let asked = Int(req.queryValue("threshold"))
            if let asked, (lowest...50).contains(asked) { threshold = asked }
            else if asked == 1 {
                errors.add("threshold", "Figures without suppression (a threshold of 1) are for safeguarding leads only. Enter a whole number from 2 to 50")
            } else {
                errors.add("threshold", "The suppression threshold must be a whole number from \(lowest) to 50")
            }
        }
        let from = req.queryValue("from"), to = req.queryValue("to")
        var period = ReportPeriod.financialYear(endYear: year, endMonth: current.endMonth, endDay: current.endDay)
        switch kind {
        case "quarter":
            period = ReportPeriod.quarter(quarter, endYear: year, endMonth: current.endMonth, endDay: current.endDay)
        case "custom":
            let start = Day(parsing: from), end = Day(parsing: to)
            if start == nil { errors.add("from", "Enter the first day as a real date, like 2026-04-01") }
            if end == nil { errors.add("to", "Enter the last day as a real date, like 2026-06-30") }
            if let start, let end {
                if let custom = ReportPeriod.custom(from: start, to: end) { period = custom }
                else { errors.add("to", "The last day must be on or after the first") }
            }
        default: break
        }
        return (period, Choice(kind: kind, year: year, quarter: quarter, from: from, to: to, threshold: threshold), errors)
    }

    struct View: Encodable {
        let report: PartnershipReport
        let choice: Choice
        let years: [SelectOption]
        let errors: FormErrors
        let snapshot: String?
        let snapshots: [SelectOption]
        let csvLink: String
        /// Made with no suppression: marked on the page, its print and its CSV.
        let notForPublication: Bool
        let mayUnsuppress: Bool
    }

    private func render(_ req: Request, _ report: PartnershipReport, _ choice: Choice, errors: FormErrors, snapshot: String?) async throws -> Response {
        let years = (choice.year - 6...choice.year + 1).reversed().map { SelectOption(value: String($0), label: "Year ending \($0)", selected: $0 == choice.year) }
        let saved = try await ReportSnapshot.query(on: req.db).sort(\.$createdAt, .descending).limit(20).all()
            .map { SelectOption(value: $0.id!.uuidString, label: "\($0.period), saved \(DisplayDate.dateTime($0.createdAt))", selected: false) }
        return try await req.render("Reports/report", View(report: report, choice: choice, years: years, errors: errors, snapshot: snapshot,
                                                           snapshots: saved, csvLink: "/reports/report.csv?\(choice.query)",
                                                           notForPublication: report.threshold == 1,
                                                           mayUnsuppress: Self.mayUnsuppress(req)),
                                    title: report.threshold == 1 ? "Partnership statistics, not for publication" : "Partnership statistics",
                                    status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response {
        let (period, choice, errors) = try await Self.choice(req)
        let report = try await PartnershipReport.build(on: req.db, period: period, threshold: choice.threshold)
        try await req.audit(.read, .partnershipReport, detail: "\(period.label), threshold \(choice.threshold)")
        return try await render(req, report, choice, errors: errors, snapshot: nil)
    }

    func csv(req: Request) async throws -> Response {
        let (period, choice, _) = try await Self.choice(req)
        let report = try await PartnershipReport.build(on: req.db, period: period, threshold: choice.threshold)
        try await req.audit(.export, .partnershipReport, detail: "CSV, \(period.label), threshold \(choice.threshold)")
        return req.statisticsCSV("partnership-statistics", period: period, threshold: choice.threshold, header: PartnershipReport.csvHeader, rows: report.csvRows)
    }

    func saveSnapshot(req: Request) async throws -> Response {
        let (period, choice, errors) = try await Self.choice(req)
        guard errors.isEmpty else { throw LanternError(.badRequest, "Choose a valid period before saving a snapshot.") }
        // Snapshots are read by everyone with the statistics, so they keep suppressed figures only.
        guard choice.threshold > 1 else {
            throw LanternError(.badRequest, "Figures without suppression are not kept as snapshots. Choose a threshold of 2 or more to save one.")
        }
        let report = try await PartnershipReport.build(on: req.db, period: period, threshold: choice.threshold)
        let snapshot = ReportSnapshot()
        snapshot.period = period.label
        snapshot.createdAt = req.lantern.now()
        snapshot.createdBy = req.currentUser?.id
        snapshot.content = try JSONEncoder().encode(report)
        try await req.write(snapshot, .create, .reportSnapshot, detail: period.label)
        return req.redirect(to: "/reports/snapshots/\(snapshot.id!.uuidString)", saying: "Snapshot saved. It keeps these figures even if cases change later.")
    }

    func showSnapshot(req: Request) async throws -> Response {
        guard let id = req.parameters.get("snapshotID", as: UUID.self), let snapshot = try await ReportSnapshot.find(id, on: req.db) else {
            throw LanternError.notFound
        }
        let report = try JSONDecoder().decode(PartnershipReport.self, from: snapshot.content)
        try await req.audit(.read, .reportSnapshot, id: id.uuidString)
        let organisation = try await req.organisation()
        let current = organisation?.currentFinancialYear(now: req.lantern.now()) ?? FinancialYear.containing(req.lantern.now())
        let choice = Choice(kind: "year", year: current.endYear, quarter: 1, from: "", to: "", threshold: report.threshold)
        return try await render(req, report, choice, errors: FormErrors(), snapshot: DisplayDate.dateTime(snapshot.createdAt))
    }
}

extension Request {
    /// Published figures as CSV. Without suppression (threshold 1) the file name and a first row
    /// mark it not for publication.
    func statisticsCSV(_ name: String, period: ReportPeriod, threshold: Int, header: [String], rows: [[String]]) -> Response {
        let unsuppressed = threshold == 1
        let marking = [["Not for publication", "No small-number suppression: for internal papers only"] + Array(repeating: "", count: max(0, header.count - 2))]
        return csvDownload(filename: (unsuppressed ? "not-for-publication-" : "") + "\(name)-\(period.start.iso)-to-\(period.end.adding(days: -1).iso).csv",
                           header: header, rows: (unsuppressed ? marking : []) + rows)
    }
}

/// A saved report: the published (already suppressed) figures as they stood, never recomputed.
final class ReportSnapshot: Model, @unchecked Sendable {
    static let schema = "report_snapshots"
    @ID(key: .id) var id: UUID?
    @Field(key: "period") var period: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "content") var content: Data
    init() {}
}

struct CreateReportSnapshots: AsyncMigration {
    var name: String { "2026-11-24-create-report-snapshots" }
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportSnapshot.schema).id()
            .field("period", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .field("content", .data, .required)
            .create()
        // Covering indexes for the report's grouped counts, so a year of a large register is
        // counted from the index alone.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "cases_report_idx").on(SafeguardingCase.schema)
                .column("opened_at").column("exploitation_types").column("under18_at_exploitation").column("gender").column("nationality").run()
            try await sql.create(index: "concerns_report_idx").on(Concern.schema).column("received_at").column("channel").run()
            try await sql.create(index: "nrm_notifications_report_idx").on(HomeOfficeReferral.schema).column("submitted_on").column("kind").run()
        }
    }
    func revert(on database: any Database) async throws { try await database.schema(ReportSnapshot.schema).delete() }
}
