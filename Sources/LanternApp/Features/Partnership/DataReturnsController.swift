import Fluent
import Foundation
import LanternCore
import Vapor

/// Partners' data returns: submitted by form (counts) or CSV on the published template
/// (records), listed, read and withdrawn. A partner's staff reach their own organisation's
/// returns only; the council's analysts reach every partner's.
struct DataReturnsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.submitDataReturns).grouped("returns")
        group.get(use: list)
        group.get("new", use: new)
        group.get("template.csv", use: template)
        group.post(use: submitCounts)
        let limit = ImportLimits.maxBytes + 65_536
        group.on(.POST, "upload", body: .collect(maxSize: ByteCount(value: limit)), use: upload)
            .userInfo[AnySendableHashable(RouteTag.bodyLimit)] = limit
        group.get(":returnID", use: show)
        group.post(":returnID", "withdraw", use: withdraw)
    }

    struct Row: Encodable { let id: String; let partner: String; let period: String; let form: String; let source: String; let total: Int; let channel: String; let submitted: String; let withdrawn: String }

    /// The returns this person may reach, newest first.
    private func reachable(_ req: Request) -> QueryBuilder<DataReturn> {
        let query = DataReturn.query(on: req.db)
        guard let user = req.currentUser, !user.can(.viewPartnerReturns) else { return query }
        return query.filter(\.$partner.$id == (user.partnerID ?? UUID()))
    }

    private func find(_ req: Request) async throws -> DataReturn {
        guard let id = req.parameters.get("returnID", as: UUID.self),
              let found = try await reachable(req).filter(\.$id == id).with(\.$partner).first() else { throw LanternError.notFound }
        return found
    }

    func list(req: Request) async throws -> Response {
        let returns = try await reachable(req).with(\.$partner).sort(\.$submittedAt, .descending).sort(\.$id).limit(500).all()
        let rows = returns.map { r in
            Row(id: r.id!.uuidString, partner: r.partner.name, period: r.period, form: r.form == "records" ? "Records" : "Counts",
                source: r.sourceKind, total: r.total, channel: r.channel, submitted: DisplayDate.dateTime(r.submittedAt),
                withdrawn: r.withdrawnAt.map { "Withdrawn \(DisplayDate.dateTime($0))" } ?? "")
        }
        try await req.audit(.read, .dataReturn, detail: "list")
        struct View: Encodable { let rows: [Row]; let bySource: Bool }
        return try await req.render("Partnership/returns", View(rows: rows, bySource: req.currentUser?.can(.viewPartnerReturns) == true), title: "Data returns")
    }

    // MARK: Submitting

    struct FormView: Encodable {
        struct Field: Encodable { let name: String; let label: String; let value: String; let error: String? }
        let partners: [SelectOption]
        let ownPartner: String?
        /// "records" (the CSV) or "counts" (the form): one form on the page at a time.
        let kind: String
        let typed: TypedForm
        let errors: FormErrors
        let types: [Field]
        let ages: [Field]
        let genders: [Field]
        let areas: [Field]
        let outcomes: [Field]
        let columns: [String]
        let rejected: [String]
        let ignored: [String]
    }

    private func form(_ req: Request, typed: TypedForm = TypedForm(), rejected: [String] = [], ignored: [String] = []) async throws -> Response {
        let user = req.currentUser!
        let own = try await user.partnerID.asyncFlatMap { try await PartnerOrganisation.find($0, on: req.db) }
        let partners = try await PartnerOrganisation.query(on: req.db).filter(\.$isActive == true).sort(\.$name).all()
        let chosen = typed.values["partner_id"] ?? ""
        func fields(_ items: [(String, String)]) -> [FormView.Field] {
            items.map { FormView.Field(name: $0.0, label: $0.1, value: typed.values[$0.0] ?? "", error: typed.errors.byField[$0.0]) }
        }
        let areas = try await PartnershipArea.names(on: req.db)
        let view = FormView(
            partners: [SelectOption(value: "", label: "Choose a partner", selected: chosen.isEmpty)]
                + partners.map { SelectOption(value: $0.id!.uuidString, label: "\($0.name) (\($0.kind.label))", selected: $0.id!.uuidString == chosen) },
            ownPartner: own?.name, kind: typed.section.isEmpty ? (req.queryValue("form") == "counts" ? "counts" : "records") : typed.section, typed: typed, errors: typed.errors,
            types: fields(ExploitationCategory.allCases.map { ("type_\($0.rawValue)", $0.label) }),
            ages: fields([AgeGroup.child, .adult].map { ("age_\($0.rawValue)", $0.label) }),
            genders: fields([RecordedGender.female, .male].map { ("gender_\($0.rawValue)", $0.label) }),
            areas: fields(areas.enumerated().map { ("area_\($0.offset)", $0.element) }),
            outcomes: fields(ReturnOutcome.allCases.filter { $0 != .unknown }.map { ("outcome_\($0.rawValue)", $0.label) }),
            columns: DataReturnImport.columns.required + DataReturnImport.columns.optional.map { "\($0) (optional)" },
            rejected: rejected, ignored: ignored)
        let failed = !typed.errors.isEmpty || !rejected.isEmpty
        return try await req.render("Partnership/return-form", view, title: "Submit a data return", status: failed ? .unprocessableEntity : .ok)
    }

    func new(req: Request) async throws -> Response { try await form(req) }

    func template(req: Request) async throws -> Response {
        let rows = DataReturnImport.template
        return req.csvDownload(filename: "lantern-data-return-template.csv", header: rows[0], rows: Array(rows.dropFirst()))
    }

    func submitCounts(req: Request) async throws -> Response {
        var values = try req.form([String: String].self).mapValues { $0.trimmingCharacters(in: .whitespaces) }
        values.removeValue(forKey: "_csrf"); values.removeValue(forKey: "_once")
        var typed = TypedForm(section: "counts", values: values)
        let user = req.currentUser!
        let partner = try await DataReturnSubmission.partner(for: user, chosen: values["partner_id"] ?? "", on: req.db, &typed.errors)
        let header = try await DataReturnSubmission.header(values, partner: partner, today: req.today, on: req.db, &typed.errors)
        let counts = DataReturnSubmission.counts(values, areas: try await PartnershipArea.names(on: req.db), &typed.errors)
        guard typed.errors.isEmpty, let header, let counts else { return try await form(req, typed: typed) }
        let saved = try await DataReturnSubmission.write(header, form: "counts", total: counts.total, records: [], figures: counts.figures, channel: "form", req: req)
        return req.redirect(to: "/returns/\(saved.id!.uuidString)", saying: "Return received: \(counts.total) \(header.sourceKind) figures from \(header.partner.name) for \(saved.period).")
    }

    struct UploadForm: Content { var partner_id: String?; var period_start: String?; var period_end: String?; var source_kind: String?; var note: String?; var file: File? }

    func upload(req: Request) async throws -> Response {
        let upload = try req.form(UploadForm.self)
        let values = ["partner_id": upload.partner_id ?? "", "period_start": upload.period_start ?? "", "period_end": upload.period_end ?? "",
                      "source_kind": upload.source_kind ?? "", "note": upload.note ?? ""].mapValues { $0.trimmingCharacters(in: .whitespaces) }
        var typed = TypedForm(section: "records", values: values)
        let partner = try await DataReturnSubmission.partner(for: req.currentUser!, chosen: values["partner_id"]!, on: req.db, &typed.errors)
        let header = try await DataReturnSubmission.header(values, partner: partner, today: req.today, on: req.db, &typed.errors)
        guard let file = upload.file, file.data.readableBytes > 0 else {
            typed.errors.add("file", (upload.file?.filename ?? "").isEmpty ? "Choose the CSV file of records" : "The file \(upload.file!.filename) is empty")
            return try await form(req, typed: typed)
        }
        if let problem = ImportLimits.problem(size: file.data.readableBytes) { typed.errors.add("file", problem) }
        guard typed.errors.isEmpty, let header else { return try await form(req, typed: typed) }
        let csv: CSVFile
        do { csv = try CSVFile(data: Data(buffer: file.data)) } catch {
            typed.errors.add("file", "\(file.filename) cannot be read as CSV: \(error)")
            return try await form(req, typed: typed)
        }
        let plan = DataReturnImport.plan(csv, from: header.start, to: header.end, areas: try await PartnershipArea.names(on: req.db),
                                         defaultSource: header.sourceKind)
        guard plan.canImport else {
            try await req.audit(.importData, .dataReturn, outcome: .denied, detail: "\(header.partner.name), \(file.filename): \(plan.rejected.count) rows refused")
            return try await form(req, typed: typed, rejected: plan.rejected.map(\.reason) + (plan.rowCount == 0 ? ["The file has a header but no rows"] : []),
                                  ignored: plan.ignoredColumns)
        }
        let saved = try await DataReturnSubmission.write(header, form: "records", total: plan.newRows.count, records: plan.newRows, figures: [],
                                                        channel: "CSV: \(file.filename.prefix(150))", req: req)
        return req.redirect(to: "/returns/\(saved.id!.uuidString)", saying: "Return received: \(plan.newRows.count) records from \(header.partner.name) for \(saved.period).")
    }

    // MARK: One return

    func show(req: Request) async throws -> Response {
        let found = try await find(req)
        try await req.audit(.read, .dataReturn, id: found.id!.uuidString)
        let period = ReportPeriod(start: Day(parsing: found.periodStart)!, end: Day(parsing: found.periodEnd)!.adding(days: 1), label: found.period)
        // The return's own figures, suppressed as every published figure is.
        var data = PictureData(sources: [PictureSource(label: found.partner.name, partnerID: found.$partner.id)])
        if found.form == "records" {
            data.items = try await DataReturnRecord.query(on: req.db).filter(\.$dataReturn.$id == found.id!).all().map { PictureItem($0, source: 0) }
        } else {
            var byCut: [String: [String: Int]] = [:]
            for f in try await DataReturnCount.query(on: req.db).filter(\.$dataReturn.$id == found.id!).all() { byCut[f.dimension, default: [:]][f.category, default: 0] += f.count }
            data.counts = [PictureCounts(source: 0, total: found.total, figures: byCut)]
        }
        let areas = try await PartnershipArea.names(on: req.db)
        let tables = PictureCut.allCases.filter { $0 != .nationalityGroup }
            .map { PartnershipPicture.table($0, data, threshold: Suppression.defaultThreshold, areas: areas, period: period) }
        struct View: Encodable {
            let id: String; let partner: String; let period: String; let form: String; let source: String; let note: String; let total: Int
            let channel: String; let submitted: String; let withdrawn: String; let withdrawnReason: String; let tables: [PartnershipPicture.SourceTable]
            let threshold: Int; let errors: FormErrors
        }
        let submitter = try await found.submittedBy.asyncFlatMap { try await User.find($0, on: req.db) }
        return try await req.render("Partnership/return", View(
            id: found.id!.uuidString, partner: found.partner.name, period: found.period, form: found.form == "records" ? "Records without identities" : "Counts",
            source: found.sourceKind, note: found.note, total: found.total, channel: found.channel,
            submitted: "\(DisplayDate.dateTime(found.submittedAt))\(submitter.map { " by \($0.displayName)" } ?? "")",
            withdrawn: found.withdrawnAt.map(DisplayDate.dateTime) ?? "", withdrawnReason: found.withdrawnReason ?? "", tables: tables,
            threshold: Suppression.defaultThreshold, errors: FormErrors()), title: "Data return from \(found.partner.name)")
    }

    struct WithdrawForm: Content { @FormField var reason: String = "" }

    func withdraw(req: Request) async throws -> Response {
        let found = try await find(req)
        guard found.withdrawnAt == nil else { return req.redirect(to: "/returns/\(found.id!.uuidString)", saying: "This return was already withdrawn.") }
        let form = try req.form(WithdrawForm.self)
        guard !form.reason.isEmpty, form.reason.count <= 500 else {
            throw LanternError(.unprocessableEntity, "Say why the return is withdrawn, in 500 characters or fewer, such as \u{201C}replaced by a corrected return\u{201D}.")
        }
        found.withdrawnAt = req.lantern.now()
        found.withdrawnReason = form.reason
        try await req.write(found, .update, .dataReturn, detail: "withdrawn")
        return req.redirect(to: "/returns/\(found.id!.uuidString)", saying: "Return withdrawn. Its figures no longer count in the partnership picture.")
    }
}
