import Fluent
import Foundation
import LanternCore
import SQLKit
import Vapor

/// Sharing a case with a partner: the case owner (or a safeguarding lead) picks the partner's
/// agreement in force and the parts to share; the disclosure log records it as it happens;
/// withdrawing the share ends the partner's access at once.
struct CaseSharingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.requiring(.editCases).grouped("cases", ":caseID", "shares")
        cases.post(use: share)
        cases.post(":shareID", "withdraw", use: withdraw)
        let partner = routes.requiring(.viewSharedCases).grouped("shared-cases")
        partner.get(use: list)
        partner.get(":shareID", use: show)
    }

    /// The case page's sharing section.
    struct Section: Encodable {
        struct Share: Encodable { let id: String; let partner: String; let parts: String; let since: String; let status: String; let active: Bool }
        let shares: [Share]
        let agreements: [SelectOption]
        let parts: [SelectOption]
        let mayShare: Bool
    }

    /// Only the case's owner, or a safeguarding lead, decides what leaves the organisation.
    static func mayShare(_ c: SafeguardingCase, _ user: User?) -> Bool {
        guard let user, user.can(.editCases) else { return false }
        return c.$owner.id == user.id || user.can(.overseeAllCases)
    }

    static func section(_ req: Request, _ c: SafeguardingCase, typed: TypedForm) async throws -> Section {
        let today = req.today
        // One statement for the busiest page: every agreement with its partner (for the form), and
        // this case's shares beside the agreement each was made under.
        let rows = try await req.reads.raw("""
            SELECT a.id AS agreement_id, a.purpose, a.categories, a.starts_on, a.review_on, a.ends_on, p.name AS partner, p.is_active,
                   s.id AS share_id, s.parts, s.shared_at, s.withdrawn_at
            FROM sharing_agreements a JOIN partner_organisations p ON p.id = a.partner_id
            LEFT JOIN case_shares s ON s.agreement_id = a.id AND s.case_id = \(bind: c.id!)
            ORDER BY a.starts_on, a.id, s.shared_at, s.id
            """).all()
        struct Agreement { let id: UUID; let purpose: String; let parts: [SharingRules.Part]; let partner: String; let inForce: Bool }
        var agreements: [Agreement] = []
        var shares: [Section.Share] = []
        for row in rows {
            let id = try row.decode(column: "agreement_id", as: UUID.self)
            let start = Day(parsing: try row.decode(column: "starts_on", as: String.self)), review = Day(parsing: try row.decode(column: "review_on", as: String.self))
            let end = try row.decode(column: "ends_on", as: String?.self).flatMap { Day(parsing: $0) }
            let inForce = start.flatMap { s in review.map { SharingRules.inForce(start: s, review: $0, end: end, on: today) } } ?? false
            let partner = try row.decode(column: "partner", as: String.self)
            if !agreements.contains(where: { $0.id == id }), inForce, try row.decode(column: "is_active", as: Bool.self) {
                agreements.append(Agreement(id: id, purpose: try row.decode(column: "purpose", as: String.self),
                                            parts: SharingRules.parts(try row.decode(column: "categories", as: String.self)), partner: partner, inForce: inForce))
            }
            guard let shareID = try row.decode(column: "share_id", as: UUID?.self) else { continue }
            let withdrawn = try row.decode(column: "withdrawn_at", as: Date?.self)
            shares.append(.init(id: shareID.uuidString, partner: partner, parts: SharingRules.parts(try row.decode(column: "parts", as: String.self)).map(\.short).joined(separator: ", "),
                                since: DisplayDate.dateTime(try row.decode(column: "shared_at", as: Date.self)),
                                status: withdrawn.map { "Withdrawn \(DisplayDate.dateTime($0))" } ?? (inForce ? "Shared" : "Agreement no longer in force: not visible"),
                                active: withdrawn == nil))
        }
        let chosen = Set((typed.values["parts"] ?? "").split(separator: ",").map(String.init))
        return Section(
            shares: shares,
            agreements: [SelectOption(value: "", label: "Choose the partner and agreement", selected: (typed.values["agreement_id"] ?? "").isEmpty)]
                + agreements.map { a in
                    SelectOption(value: a.id.uuidString, label: "\(a.partner): \(a.purpose.prefix(80)) (covers \(a.parts.map(\.short).joined(separator: ", ")))",
                                 selected: typed.values["agreement_id"] == a.id.uuidString)
                },
            parts: SharingRules.Part.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: chosen.contains($0.rawValue)) },
            mayShare: mayShare(c, req.currentUser) && c.isOpen && c.restrictedAt == nil && c.erasedAt == nil)
    }

    struct ShareForm: Content { var agreement_id: String?; var parts: [String]? }

    func share(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        guard Self.mayShare(c, req.currentUser) else {
            throw LanternError(.forbidden, title: "Only the case's owner shares it", "Ask the case's owner or a safeguarding lead to share this case.")
        }
        let form = try req.form(ShareForm.self)
        let parts = SharingRules.Part.allCases.filter { (form.parts ?? []).contains($0.rawValue) }
        var typed = TypedForm(section: "share", values: ["agreement_id": form.agreement_id ?? "", "parts": parts.map(\.rawValue).joined(separator: ",")])
        let agreement = try await UUID(uuidString: form.agreement_id ?? "").asyncFlatMap {
            try await SharingAgreement.query(on: req.db).filter(\.$id == $0).with(\.$partner).first()
        }
        if agreement == nil { typed.errors.add("agreement_id", "Choose the partner and the agreement the case is shared under") }
        else if !agreement!.inForce(on: req.today) || !agreement!.partner.isActive {
            typed.errors.add("agreement_id", "That agreement is not in force: a case can be shared only under an agreement in force")
        }
        if parts.isEmpty { typed.errors.add("parts", "Choose what to share") }
        else if let agreement, let outside = parts.first(where: { !agreement.parts.contains($0) }) {
            typed.errors.add("parts", "The agreement with \(agreement.partner.name) does not cover \(outside.short): share only what it covers")
        }
        guard typed.errors.isEmpty, let agreement else { return try await CasePage.render(req, c, typed: typed, status: .unprocessableEntity) }
        guard req.isConfirmed else {
            return try await req.confirmation("Share case \(c.reference) with \(agreement.partner.name)?",
                                              ["\(agreement.partner.name) will see \(parts.map(\.short).joined(separator: ", ")), and nothing else, until you stop sharing it.",
                                               "The disclosure log records the sharing under \(AgreementsController.label(SharingRules.article6, agreement.article6))."],
                                              button: "Yes, share it", cancel: "/cases/\(c.id!.uuidString)#sharing")
        }
        let share = CaseShare()
        share.caseID = c.id!
        share.$partner.id = agreement.partner.id!
        share.$agreement.id = agreement.id!
        share.parts = parts.map(\.rawValue).joined(separator: ",")
        share.sharedAt = req.lantern.now()
        share.sharedBy = req.currentUser?.id
        let cipher = req.cipher, today = req.today, user = req.currentUser?.id, now = req.lantern.now()
        try await req.db.writeTransaction { db in
            try await share.create(on: db)
            try await Disclosure.record(on: db, cipher: cipher, caseID: c.id!, on: today, recipient: agreement.partner.name,
                                        what: "Case \(c.reference) shared in Lantern: \(parts.map(\.short).joined(separator: ", ")). Agreement: \(agreement.purpose.prefix(200))",
                                        lawfulBasis: agreement.article6, by: user, at: now)
            try await req.audit(.create, .caseShare, id: share.id!.uuidString, detail: "case \(c.id!.uuidString) with \(agreement.partner.name): \(share.parts)", on: db)
        }
        return req.redirect(to: "/cases/\(c.id!.uuidString)#sharing", saying: "Case shared with \(agreement.partner.name). The disclosure log has recorded it.")
    }

    func withdraw(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        guard Self.mayShare(c, req.currentUser), let id = req.parameters.get("shareID", as: UUID.self),
              let share = try await CaseShare.query(on: req.db).filter(\.$id == id).filter(\.$caseID == c.id!).with(\.$partner).first() else {
            throw LanternError.notFound
        }
        guard share.withdrawnAt == nil else { return req.redirect(to: "/cases/\(c.id!.uuidString)#sharing", saying: "Sharing had already stopped.") }
        share.withdrawnAt = req.lantern.now()
        share.withdrawnBy = req.currentUser?.id
        try await req.write(share, .update, .caseShare, detail: "withdrawn")
        return req.redirect(to: "/cases/\(c.id!.uuidString)#sharing", saying: "\(share.partner.name) can no longer see this case.")
    }

    // MARK: What a partner sees

    /// The shares a partner's staff member may open now: their organisation's, not withdrawn,
    /// under an agreement still in force.
    static func live(_ req: Request) async throws -> [CaseShare] {
        guard let partner = req.currentUser?.partnerID else { return [] }
        let today = req.today
        return try await CaseShare.query(on: req.db).filter(\.$partner.$id == partner).filter(\.$withdrawnAt == nil)
            .with(\.$agreement).sort(\.$sharedAt, .descending).sort(\.$id).all()
            .filter { $0.agreement.inForce(on: today) }
    }

    func list(req: Request) async throws -> Response {
        let shares = try await Self.live(req)
        let cases = shares.isEmpty ? [] : try await SafeguardingCase.rows([.oneOf("id", shares.map(\.caseID))], on: req.db)
        struct Row: Encodable { let id: String; let reference: String; let parts: String; let since: String }
        let rows = shares.compactMap { s in
            cases.first { $0.id == s.caseID }.map { c in
                Row(id: s.id!.uuidString, reference: c.reference, parts: SharingRules.parts(s.parts).map(\.short).joined(separator: ", "),
                    since: DisplayDate.dateTime(s.sharedAt))
            }
        }
        try await req.audit(.read, .caseShare, detail: "list")
        struct View: Encodable { let rows: [Row] }
        return try await req.render("Partnership/shared-cases", View(rows: rows), title: "Cases shared with you")
    }

    func show(req: Request) async throws -> Response {
        guard let id = req.parameters.get("shareID", as: UUID.self), let share = try await Self.live(req).first(where: { $0.id == id }),
              let c = try await SafeguardingCase.rows([.equals("id", share.caseID)], on: req.db).first, c.erasedAt == nil, c.restrictedAt == nil else {
            throw LanternError.notFound
        }
        try await req.audit(.read, .caseShare, id: id.uuidString, detail: "case \(c.id!.uuidString)")
        let parts = SharingRules.parts(share.parts)
        let s = try c.open(with: req.cipher)
        struct Item: Encodable { let label: String; let value: String }
        struct Part: Encodable { let title: String; let items: [Item] }
        var shown: [Part] = []
        for part in parts {
            var items: [Item] = []
            switch part {
            case .identity:
                items = [.init(label: "Name", value: "\(s.firstName) \(s.lastName)"), .init(label: "Other names", value: s.aliases),
                         .init(label: "Date of birth", value: Day(parsing: s.dateOfBirth)?.long ?? s.dateOfBirth), .init(label: "Age", value: c.age.label),
                         .init(label: "Gender", value: c.gender.label),
                         .init(label: "Nationality", value: [c.nationality, c.secondNationality].compactMap { $0 }.joined(separator: " and "))]
            case .contact:
                items = [.init(label: "Contact", value: [s.phone, s.email, s.address].filter { !$0.isEmpty }.joined(separator: "; ")),
                         .init(label: "Safe contact arrangements", value: s.safeToContact),
                         .init(label: "Interpreter", value: s.interpreterLanguage.isEmpty ? "Not needed" : s.interpreterLanguage)]
            case .exploitation:
                items = [.init(label: "Exploitation", value: c.types.map(\.label).joined(separator: "; ") + (c.countyLines ? " (county lines)" : "")),
                         .init(label: "Where", value: [c.location.label, s.ukTowns, s.overseasCountries].filter { !$0.isEmpty }.joined(separator: "; ")),
                         .init(label: "Account", value: s.exploitationSummary),
                         .init(label: "Indicators seen", value: s.indicators.compactMap { IndicatorCatalogue.byID[$0.indicatorID]?.label }.joined(separator: "; "))]
            case .referrals:
                items = try await HomeOfficeReferral.rows([.equals("case_id", c.id!)], orderBy: ["started_on"], on: req.db).map { n in
                    .init(label: n.kind.label, value: "\(n.state.label)" + (try n.open(with: req.cipher).homeOfficeReference.isEmpty ? "" : ", reference \(try n.open(with: req.cipher).homeOfficeReference)"))
                }
            case .markers:
                items = try await CaseMarker.rows([.equals("case_id", c.id!)], orderBy: ["set_at"], on: req.db).filter { $0.removedAt == nil }.map { m in
                    .init(label: CasePage.label(CaseMarker.kinds, m.kind), value: try m.open(with: req.cipher))
                }
            }
            shown.append(Part(title: part.label, items: items.filter { !$0.value.isEmpty }))
        }
        struct View: Encodable { let reference: String; let since: String; let parts: [Part] }
        return try await req.render("Partnership/shared-case", View(reference: c.reference, since: DisplayDate.dateTime(share.sharedAt), parts: shown),
                                    title: "Shared case \(c.reference)")
    }
}
