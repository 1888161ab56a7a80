import Fluent
import Foundation
import LanternCore
import Vapor

/// The partnership picture: the council's cases and the partners' returns for a period, source by
/// source and summed, one cross-tabulation of the reader's choice, and the trends. A partner's
/// staff see the partners together, never one partner's figures beside another's.
struct PartnershipController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewPartnershipStatistics).grouped("partnership")
        view.get(use: show)
        view.get("picture.csv", use: csv)
    }

    struct View: Encodable {
        let picture: PartnershipPicture
        /// Quarter on quarter, then year on year.
        let trends: [PictureTrend]
        let choice: ReportsController.Choice
        let years: [SelectOption]
        let rowOptions: [SelectOption]
        let columnOptions: [SelectOption]
        let errors: FormErrors
        let csvLink: String
        let notForPublication: Bool
        let mayUnsuppress: Bool
        let bySource: Bool
    }

    private func cuts(_ req: Request, _ errors: inout FormErrors) -> (PictureCut, PictureCut) {
        func cut(_ name: String, _ fallback: PictureCut) -> PictureCut {
            let raw = req.queryValue(name)
            if raw.isEmpty { return fallback }
            guard let cut = PictureCut(rawValue: raw), PictureCut.crossable.contains(cut) else {
                errors.add(name, "Choose one of the cuts in the list")
                return fallback
            }
            return cut
        }
        let rows = cut("rows", .nationalityGroup), columns = cut("columns", .age)
        if rows == columns, errors.isEmpty {
            errors.add("columns", "Choose a different cut for the columns than for the rows")
            return (rows, rows == .age ? .nationalityGroup : .age)
        }
        return (rows, columns)
    }

    private func build(_ req: Request) async throws -> (PartnershipPicture, ReportPeriod, ReportsController.Choice, FormErrors, PictureCut, PictureCut) {
        var (period, choice, errors) = try await ReportsController.choice(req)
        let (rows, columns) = cuts(req, &errors)
        let together = req.currentUser?.can(.viewPartnerReturns) != true
        let data = try await PictureData.gather(on: req.db, period: period, together: together)
        let picture = PartnershipPicture(data: data, period: period, threshold: choice.threshold,
                                         areas: try await PartnershipArea.names(on: req.db), rows: rows, columns: columns)
        return (picture, period, choice, errors, rows, columns)
    }

    func show(req: Request) async throws -> Response {
        let (picture, period, choice, errors, rows, columns) = try await build(req)
        try await req.audit(.read, .partnershipPicture, detail: "\(period.label), threshold \(choice.threshold)")
        let options = { (selected: PictureCut) in PictureCut.crossable.map { SelectOption(value: $0.rawValue, label: $0.title, selected: $0 == selected) } }
        let query = "\(choice.query)&rows=\(rows.rawValue)&columns=\(columns.rawValue)"
        let view = View(picture: picture,
                        trends: [try await PictureTrend.quarters(on: req.db, ending: period, threshold: choice.threshold),
                                 try await PictureTrend.years(on: req.db, ending: period, threshold: choice.threshold)],
                        choice: choice,
                        years: (choice.year - 6...choice.year + 1).reversed().map { SelectOption(value: String($0), label: "Year ending \($0)", selected: $0 == choice.year) },
                        rowOptions: options(rows), columnOptions: options(columns), errors: errors,
                        csvLink: "/partnership/picture.csv?\(query)", notForPublication: choice.threshold == 1,
                        mayUnsuppress: ReportsController.mayUnsuppress(req), bySource: req.currentUser?.can(.viewPartnerReturns) == true)
        return try await req.render("Partnership/picture", view,
                                    title: choice.threshold == 1 ? "Partnership picture, not for publication" : "Partnership picture",
                                    status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func csv(req: Request) async throws -> Response {
        let (picture, period, choice, _, _, _) = try await build(req)
        try await req.audit(.export, .partnershipPicture, detail: "CSV, \(period.label), threshold \(choice.threshold)")
        return req.statisticsCSV("partnership-picture", period: period, threshold: choice.threshold, header: PartnershipPicture.csvHeader, rows: picture.csvRows)
    }
}
