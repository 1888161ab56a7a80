import Fluent
import Foundation
import LanternCore
import Vapor

/// The procurement policy (statement threshold, high-value threshold, risk bands) and the
/// goods list the risk model reads. Changing a threshold recomputes every contract's flags.
struct ProcurementSettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewContracts).grouped("procurement", "settings")
        view.get(use: show)
        let edit = routes.requiring(.manageProcurementPolicy).grouped("procurement", "settings")
        edit.post(use: save)
        let limit = 8 * 1_048_576
        edit.on(.POST, "goods", body: .collect(maxSize: ByteCount(value: limit)), use: importGoods)
            .userInfo[AnySendableHashable(RouteTag.bodyLimit)] = limit
    }

    struct View: Encodable {
        let values: Form
        let canEdit: Bool
        let goodsPairs: Int
        let goodsSource: String
        let goodsImportedAt: String
        let goodsCount: Int
        let countries: Int
        let errors: FormErrors
    }

    private func view(_ req: Request, values: Form? = nil, errors: FormErrors = FormErrors()) async throws -> View {
        let policy = try await req.organisation()?.procurementPolicy ?? ProcurementPolicy()
        let summary = try await GoodsReference.summary(on: req.db)
        let index = try await GoodsReference.index(req.application)
        return View(
            values: values ?? Form(statement_threshold: policy.statementThreshold.plain, high_value_threshold: policy.highValueThreshold.plain,
                                   medium_from: String(policy.risk.mediumFrom), high_from: String(policy.risk.highFrom)),
            canEdit: req.currentUser?.can(.manageProcurementPolicy) ?? false,
            goodsPairs: summary.pairs, goodsSource: summary.source ?? "", goodsImportedAt: summary.importedAt.map(DisplayDate.dateTime) ?? "",
            goodsCount: index.goodNames.count, countries: index.countryNames.count, errors: errors)
    }

    func show(req: Request) async throws -> Response {
        try await req.render("Contracts/settings", try await view(req), title: "Procurement settings")
    }

    struct Form: Content {
        @FormField var statement_threshold: String = ""
        @FormField var high_value_threshold: String = ""
        @FormField var medium_from: String = ""
        @FormField var high_from: String = ""
    }

    func save(req: Request) async throws -> Response {
        let values = try req.form(Form.self)
        var errors = FormErrors()
        let statement = Money(parsing: values.statement_threshold)
        if statement == nil { errors.add("statement_threshold", "Enter the statement threshold in pounds, like 25000") }
        let highValue = Money(parsing: values.high_value_threshold)
        if highValue == nil { errors.add("high_value_threshold", "Enter the high-value threshold in pounds, like 1000000") }
        let medium = Int(values.medium_from)
        let high = Int(values.high_from)
        if medium == nil || !(1...13).contains(medium!) { errors.add("medium_from", "Enter a whole number from 1 to 13") }
        if high == nil || !(1...13).contains(high!) { errors.add("high_from", "Enter a whole number from 1 to 13") }
        else if let medium, let high, high <= medium { errors.add("high_from", "High must start above medium (\(medium))") }
        guard errors.isEmpty, let statement, let highValue, let medium, let high, let organisation = try await Organisation.current(on: req.db) else {
            return try await req.render("Contracts/settings", try await view(req, values: values, errors: errors),
                                        title: "Procurement settings", status: .unprocessableEntity)
        }
        organisation.statementThresholdPence = statement.pence
        organisation.highValueThresholdPence = highValue.pence
        organisation.riskMediumFrom = medium
        organisation.riskHighFrom = high
        let detail = "statement over \(statement), high value from \(highValue), medium from \(medium), high from \(high)"
        try await req.db.writeTransaction { db in
            try await organisation.save(on: db)
            try await Self.recomputeFlags(policy: organisation.procurementPolicy, on: db)
            try await req.audit(.update, .procurementPolicy, detail: detail, on: db)
        }
        return req.redirect(to: "/procurement/settings", saying: "Procurement settings saved; every contract's flags were recalculated.")
    }

    /// Statement-required and high-value follow the thresholds, in two statements for all contracts.
    static func recomputeFlags(policy: ProcurementPolicy, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("UPDATE contracts SET statement_required = (COALESCE(value_pence, 0) > \(bind: policy.statementThreshold.pence)), high_value = (COALESCE(value_pence, 0) >= \(bind: policy.highValueThreshold.pence))").run()
        try await sql.raw("UPDATE contracts SET needs_review = (high_value OR business_critical OR COALESCE(risk_level, '') = 'high')").run()
    }

    struct GoodsForm: Content { var file: File? }

    func importGoods(req: Request) async throws -> Response {
        let form = try req.form(GoodsForm.self)
        var errors = FormErrors()
        guard let file = form.file, file.data.readableBytes > 0 else {
            errors.add("goods_file", "Choose the ILAB List of Goods XML file")
            return try await req.render("Contracts/settings", try await view(req, errors: errors), title: "Procurement settings", status: .unprocessableEntity)
        }
        do {
            let count = try await GoodsReference.load(Data(buffer: file.data), source: String(file.filename.prefix(200)), on: req.application)
            try await req.audit(.importData, .goodsList, detail: "\(file.filename): \(count) good × country pairs")
            req.flash("Goods list loaded from \(file.filename): \(count) good × country pairs.")
        } catch let problem as GoodsListReader.Problem {
            errors.add("goods_file", "\(file.filename) could not be loaded: \(problem.description)")
            return try await req.render("Contracts/settings", try await view(req, errors: errors), title: "Procurement settings", status: .unprocessableEntity)
        }
        return req.redirect(to: "/procurement/settings")
    }
}
