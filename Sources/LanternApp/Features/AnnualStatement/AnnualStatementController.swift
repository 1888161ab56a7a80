import Fluent
import Foundation
import LanternCore
import StatementChecker
import Vapor

/// Drafting, approving, signing and publishing the organisation's annual statement. The draft
/// is run through the statement checker on every view, so the page says what a reader's check
/// would find missing. Published statements are public and never change.
struct AnnualStatementController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let draft = routes.requiring(.draftAnnualStatement).grouped("annual-statement")
        draft.get(use: index)
        draft.post(use: start)
        draft.get(":year", use: show)
        draft.post(":year", "text", use: saveText)
        draft.post(":year", "approval", use: recordApproval)
        draft.post(":year", "signature", use: recordSignature)
        draft.post(":year", "publish", use: publish)
        // Published statements are for anyone: no sign-in.
        routes.get("modern-slavery-statement", ":year", use: publicStatement)
        routes.get("transparency-in-supply-chains", ":year", use: publicSupplyChains)
    }

    private func financialYear(_ req: Request, _ endYear: Int) async throws -> FinancialYear {
        let organisation = try await Organisation.current(on: req.db)
        return FinancialYear(endYear: endYear, endMonth: organisation?.financialYearEndMonth ?? 3, endDay: organisation?.financialYearEndDay ?? 31)
    }

    struct IndexView: Encodable {
        struct Row: Encodable { let year: Int; let label: String; let status: String; let link: String }
        let rows: [Row]
        let years: [SelectOption]
        let errors: FormErrors
    }

    func index(req: Request) async throws -> Response {
        let statements = try await AnnualStatement.query(on: req.db).sort(\.$planYear, .descending).all()
        let organisation = try await Organisation.current(on: req.db)
        var rows: [IndexView.Row] = []
        for s in statements {
            let year = FinancialYear(endYear: s.planYear, endMonth: organisation?.financialYearEndMonth ?? 3, endDay: organisation?.financialYearEndDay ?? 31)
            rows.append(.init(year: s.planYear, label: year.description, status: s.isPublished ? "Published" : s.approval == nil ? "Draft" : s.signature == nil ? "Approved, not signed" : "Approved and signed",
                              link: s.isPublished ? "/modern-slavery-statement/\(s.planYear)" : "/annual-statement/\(s.planYear)"))
        }
        let current = try await ActionPlanController.year(req)
        // The year just ended is the one a statement is usually written for.
        let years = (current.endYear - 5...current.endYear).reversed().map { y in
            SelectOption(value: String(y), label: FinancialYear(endYear: y, endMonth: current.endMonth, endDay: current.endDay).description, selected: y == current.endYear - 1)
        }
        return try await req.render("AnnualStatement/index", IndexView(rows: rows, years: years, errors: FormErrors()), title: "Annual statement")
    }

    struct StartForm: Content {
        @FormField var year: String = ""
    }

    func start(req: Request) async throws -> Response {
        guard let year = Int(try req.form(StartForm.self).year), (2000...2100).contains(year) else {
            throw LanternError(.badRequest, "Choose the financial year the statement covers.")
        }
        if try await AnnualStatement.query(on: req.db).filter(\.$planYear == year).first() == nil {
            let s = AnnualStatement()
            s.planYear = year
            s.status = .draft
            s.texts = Data("{}".utf8)
            s.includePartnership = true
            s.updatedAt = req.lantern.now()
            try await req.write(s, .create, .annualStatement, detail: String(year))
        }
        return req.redirect(to: "/annual-statement/\(year)")
    }

    private func statement(_ req: Request) async throws -> AnnualStatement {
        guard let year = req.parameters.get("year", as: Int.self), let s = try await AnnualStatement.query(on: req.db).filter(\.$planYear == year).first() else {
            throw LanternError.notFound
        }
        return s
    }

    struct DraftView: Encodable {
        struct Section: Encodable { let key: String; let title: String; let text: String; let figures: [String] }
        struct Check: Encodable { let title: String; let verdict: String; let verdictKey: String; let evidence: String }
        let year: Int
        let label: String
        let sections: [Section]
        let includePartnership: Bool
        let partnership: String
        let plan: [String]
        let checks: [Check]
        let missing: [String]
        let approval: [String: String]
        let signature: [String: String]
        let approved: Bool
        let signed: Bool
        let published: Bool
        let errors: FormErrors
        let section: String
    }

    private func show(_ req: Request, _ s: AnnualStatement, typed: TypedForm = TypedForm()) async throws -> Response {
        if s.isPublished { return req.redirect(to: "/modern-slavery-statement/\(s.planYear)") }
        let year = try await financialYear(req, s.planYear)
        let facts = try await StatementFactsBuilder.build(on: req.db, year: year, today: req.today, partnership: s.includePartnership)
        var texts = s.editedTexts
        if typed.section == "text" {
            for h in StatementHeading.allCases { texts[h] = typed.values[h.rawValue] }
        }
        let blocks = StatementDocument.blocks(facts, texts: texts, approval: s.approval, signature: s.signature)
        // What a reader running Lantern's statement checker on this draft would see.
        let report = try await req.application.statementCheck().check(text: StatementDocument.text(blocks), source: "draft", kind: "text", now: req.lantern.now())
        let checks = report.ukCriteria.map { f in
            DraftView.Check(title: f.title, verdict: f.verdict == .met ? "Met" : f.verdict == .notExplicit ? "Not explicit" : "Not found",
                            verdictKey: f.verdict.rawValue, evidence: f.evidence.first?.sentence ?? f.note ?? "")
        }
        try await req.audit(.read, .annualStatement, id: s.id?.uuidString)
        let approvalValues = typed.section == "approval" ? typed.values : ["approving_body": s.approvingBody ?? "", "approved_on": s.approvedOn ?? ""]
        let signatureValues = typed.section == "signature" ? typed.values
            : ["signatory_name": s.signatoryName ?? "", "signatory_role": s.signatoryRole ?? "", "signed_on": s.signedOn ?? ""]
        return try await req.render("AnnualStatement/draft", DraftView(
            year: s.planYear, label: year.description,
            sections: OrganisationStatement.sections(facts, text: texts).map { .init(key: $0.heading.rawValue, title: $0.heading.title, text: $0.text, figures: $0.figures) },
            includePartnership: typed.section == "text" ? typed.values["include_partnership"] == "yes" : s.includePartnership,
            partnership: facts.partnershipSummary ?? "",
            plan: OrganisationStatement.plan(facts).map { "\($0.area.label): " + $0.lines.joined(separator: "; ") },
            checks: checks, missing: report.ukCriteria.filter { $0.verdict != .met }.map(\.title),
            approval: approvalValues, signature: signatureValues, approved: s.approval != nil, signed: s.signature != nil, published: s.isPublished,
            errors: typed.errors, section: typed.section),
            title: "Annual statement \(year.description)", status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req, try await statement(req)) }

    func saveText(req: Request) async throws -> Response {
        let s = try await statement(req)
        guard !s.isPublished else { throw LanternError(.conflict, "This statement is published and can no longer change.") }
        let body = try req.form([String: String].self)
        var typed = TypedForm(section: "text", values: ["include_partnership": body["include_partnership"] == "yes" ? "yes" : ""])
        var texts: [String: String] = [:]
        for h in StatementHeading.allCases {
            let text = FormText.trim(body[h.rawValue])
            typed.values[h.rawValue] = text
            if text.isEmpty { typed.errors.add("text-\(h.rawValue)", "Write the text for \"\(h.title)\"") }
            else if text.count > 10_000 { typed.errors.add("text-\(h.rawValue)", "The text for \"\(h.title)\" must be 10,000 characters or fewer") }
            texts[h.rawValue] = text
        }
        guard typed.errors.isEmpty else { return try await show(req, s, typed: typed) }
        let changed = texts != ((try? JSONDecoder().decode([String: String].self, from: s.texts)) ?? [:])
            || s.includePartnership != (typed.values["include_partnership"] == "yes")
        s.texts = try JSONEncoder().encode(texts)
        s.includePartnership = typed.values["include_partnership"] == "yes"
        // What the governing body approved has changed: it must approve the new text.
        let hadApproval = s.approval != nil
        if changed && hadApproval {
            s.approvingBody = nil; s.approvedOn = nil; s.signatoryName = nil; s.signatoryRole = nil; s.signedOn = nil
            s.status = .draft
        }
        s.updatedAt = req.lantern.now()
        try await req.write(s, .update, .annualStatement, detail: changed && hadApproval ? "text changed; approval cleared" : "text saved")
        return req.redirect(to: "/annual-statement/\(s.planYear)", saying: changed && hadApproval ? "Draft saved. The text changed after approval, so the approval and signature were cleared: record them again." : "Draft saved.")
    }

    struct ApprovalForm: Content {
        @FormField var approving_body: String = ""
        @FormField var approved_on: String = ""
    }

    func recordApproval(req: Request) async throws -> Response {
        let s = try await statement(req)
        guard !s.isPublished else { throw LanternError(.conflict, "This statement is published and can no longer change.") }
        let form = try req.form(ApprovalForm.self)
        var typed = TypedForm(section: "approval", form: form)
        let body = form.approving_body
        if body.isEmpty { typed.errors.add("approving_body", "Enter the governing body that approved the statement, for example Cabinet or Board") }
        else if body.count > 120 { typed.errors.add("approving_body", "The governing body's name must be 120 characters or fewer") }
        else if body.lowercased().contains("committee") {
            typed.errors.add("approving_body", "Approval must be by the governing body itself (the board, cabinet or equivalent), not a committee")
        }
        let year = try await financialYear(req, s.planYear)
        let day = Day(parsing: form.approved_on)
        if form.approved_on.isEmpty { typed.errors.add("approved_on", "Enter the date of approval") }
        else if day == nil { typed.errors.add("approved_on", "Enter the date as a real date, like 2026-06-10 or 10/06/2026") }
        else if day! > req.today { typed.errors.add("approved_on", "The date of approval cannot be in the future") }
        else if day! < Day(year.start) { typed.errors.add("approved_on", "The statement cannot be approved before the year it covers begins (\(Day(year.start).long))") }
        guard typed.errors.isEmpty, let day else { return try await show(req, s, typed: typed) }
        s.approvingBody = body
        s.approvedOn = day.iso
        if let signed = s.signedOn.flatMap(Day.init(parsing:)), signed < day { s.signatoryName = nil; s.signatoryRole = nil; s.signedOn = nil }
        s.status = .approved
        s.updatedAt = req.lantern.now()
        try await req.write(s, .update, .annualStatement, detail: "approved by \(body) on \(day.iso)")
        return req.redirect(to: "/annual-statement/\(s.planYear)#sign", saying: "Approval by the \(body) on \(day.long) recorded.")
    }

    struct SignatureForm: Content {
        @FormField var signatory_name: String = ""
        @FormField var signatory_role: String = ""
        @FormField var signed_on: String = ""
    }

    func recordSignature(req: Request) async throws -> Response {
        let s = try await statement(req)
        guard !s.isPublished else { throw LanternError(.conflict, "This statement is published and can no longer change.") }
        let form = try req.form(SignatureForm.self)
        var typed = TypedForm(section: "signature", form: form)
        guard let approval = s.approval else {
            typed.errors.add("signatory_name", "Record the governing body's approval before the signature")
            return try await show(req, s, typed: typed)
        }
        if form.signatory_name.isEmpty { typed.errors.add("signatory_name", "Enter the name of the director or equivalent who signs") }
        else if form.signatory_name.count > 120 { typed.errors.add("signatory_name", "The name must be 120 characters or fewer") }
        if form.signatory_role.isEmpty { typed.errors.add("signatory_role", "Enter their role, for example Chief Executive") }
        else if form.signatory_role.count > 120 { typed.errors.add("signatory_role", "The role must be 120 characters or fewer") }
        let day = Day(parsing: form.signed_on)
        if form.signed_on.isEmpty { typed.errors.add("signed_on", "Enter the date it was signed") }
        else if day == nil { typed.errors.add("signed_on", "Enter the date as a real date, like 2026-06-11 or 11/06/2026") }
        else if day! > req.today { typed.errors.add("signed_on", "The date of signature cannot be in the future") }
        else if day! < approval.on { typed.errors.add("signed_on", "The statement is signed after it is approved (\(approval.on.long))") }
        guard typed.errors.isEmpty, let day else { return try await show(req, s, typed: typed) }
        s.signatoryName = typed.values["signatory_name"]
        s.signatoryRole = typed.values["signatory_role"]
        s.signedOn = day.iso
        s.updatedAt = req.lantern.now()
        try await req.write(s, .update, .annualStatement, detail: "signed on \(day.iso)")
        return req.redirect(to: "/annual-statement/\(s.planYear)#publish", saying: "Signature recorded. The statement can now be published.")
    }

    func publish(req: Request) async throws -> Response {
        let s = try await statement(req)
        guard !s.isPublished else { return req.redirect(to: "/modern-slavery-statement/\(s.planYear)") }
        guard let approval = s.approval, let signature = s.signature else {
            var typed = TypedForm(section: "publish")
            typed.errors.add(s.approval == nil ? "approving_body" : "signatory_name",
                             s.approval == nil ? "Record the governing body's approval before publishing" : "Record the signature before publishing")
            return try await show(req, s, typed: typed)
        }
        let year = try await financialYear(req, s.planYear)
        guard req.isConfirmed else {
            return try await req.confirmation("Publish the \(year.description) statement?",
                                              ["The Modern Slavery Statement and the Transparency in Supply Chains statement will be published as public web pages, with a PDF of each.",
                                               "Once published they will not change. A correction means publishing next year's statement, or a new statement that says what changed."],
                                              button: "Publish the statement", cancel: "/annual-statement/\(s.planYear)#publish", irreversible: true)
        }
        let facts = try await StatementFactsBuilder.build(on: req.db, year: year, today: req.today, partnership: s.includePartnership)
        let statement = StatementDocument.blocks(facts, texts: s.editedTexts, approval: approval, signature: signature)
        let supplyChains = StatementDocument.supplyChainBlocks(facts)
        s.published = try JSONEncoder().encode(PublishedStatements(statement: StatementDocument.encoded(statement),
                                                                   supplyChains: StatementDocument.encoded(supplyChains), publishedOn: req.today.iso))
        s.pdf = try await DocumentPDF.render(title: "Modern Slavery Statement \(year.description)", blocks: statement)
        s.supplyChainPDF = try await DocumentPDF.render(title: "Transparency in Supply Chains Statement \(year.description)", blocks: supplyChains)
        s.publishedAt = req.lantern.now()
        s.status = .published
        s.updatedAt = req.lantern.now()
        try await req.write(s, .update, .annualStatement, detail: "published")
        return req.redirect(to: "/modern-slavery-statement/\(s.planYear)", saying: "Published. The page and PDF will not change.")
    }

    struct PublicView: Encodable {
        let title: String
        let blocks: [PublishedStatements.Block]
        let publishedOn: String
        let pdf: String
        let other: String
        let otherTitle: String
    }

    private func published(_ req: Request, _ year: Int) async throws -> (AnnualStatement, PublishedStatements) {
        guard let s = try await AnnualStatement.query(on: req.db).filter(\.$planYear == year).filter(\.$status == .published).first(),
              let data = s.published, let content = try? JSONDecoder().decode(PublishedStatements.self, from: data) else { throw LanternError.notFound }
        return (s, content)
    }

    /// Which of the two published documents a public address asks for.
    enum Published {
        case statement, supplyChains

        var path: String { self == .statement ? "modern-slavery-statement" : "transparency-in-supply-chains" }
        var title: String { self == .statement ? "Modern Slavery Statement" : "Transparency in Supply Chains Statement" }
        var other: Published { self == .statement ? .supplyChains : .statement }
    }

    /// `/modern-slavery-statement/2026` or `/transparency-in-supply-chains/2026`: the page, or
    /// with `.pdf` the PDF.
    private func publicPage(_ req: Request, _ which: Published) async throws -> Response {
        let raw = req.parameters.get("year") ?? ""
        let wantsPDF = raw.hasSuffix(".pdf")
        guard let year = Int(wantsPDF ? String(raw.dropLast(4)) : raw) else { throw LanternError.notFound }
        let (s, content) = try await published(req, year)
        if wantsPDF, let pdf = which == .statement ? s.pdf : s.supplyChainPDF {
            return req.download(pdf, type: "application/pdf", filename: "\(which.path)-\(year).pdf", inline: true)
        }
        let blocks = which == .statement ? content.statement : content.supplyChains
        let title = blocks.first?.text ?? which.title
        return try await req.render("AnnualStatement/published", PublicView(
            title: title, blocks: Array(blocks.dropFirst()), publishedOn: Day(parsing: content.publishedOn)?.long ?? content.publishedOn,
            pdf: "/\(which.path)/\(year).pdf", other: "/\(which.other.path)/\(year)", otherTitle: which.other.title), title: title)
    }

    func publicStatement(req: Request) async throws -> Response { try await publicPage(req, .statement) }
    func publicSupplyChains(req: Request) async throws -> Response { try await publicPage(req, .supplyChains) }
}
