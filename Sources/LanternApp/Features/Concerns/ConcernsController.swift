import Fluent
import Foundation
import LanternCore
import Vapor

/// Staff reporting and the handling of concerns: the list a team works from, the concern page
/// (read audited), acknowledgement, assignment, two-way messages, triage and hand-over.
struct ConcernsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let report = routes.requiring(.reportConcern).grouped("concerns")
        report.get("new", use: newForm)
        report.upload("new", limit: PublicReportController.uploadLimit, use: create)
        report.get("mine", use: mine)
        let handle = routes.requiring(.handleConcerns).grouped("concerns")
        handle.get(use: list)
        handle.get(":concernID", use: show)
        handle.post(":concernID", "acknowledge", use: acknowledge)
        handle.post(":concernID", "assign", use: assign)
        handle.post(":concernID", "route", use: reroute)
        handle.upload(":concernID", "messages", limit: PublicReportController.uploadLimit, use: message)
        handle.post(":concernID", "triage", use: triage)
        handle.post(":concernID", "close", use: close)
        handle.post(":concernID", "reveal-reporter", use: revealReporter)
        handle.get(":concernID", "files", ":fileID", use: file)
        // Opening a case from a concern needs both: the concern's need-to-know and case editing.
        let open = routes.requiring(.editCases).grouped("concerns", ":concernID", "case")
        open.get { req in try await CasesController.newCaseForm(req, from: try await Self.caseOrigin(req)) }
        open.post { req in try await CasesController.open(req, from: try await Self.caseOrigin(req)) }
    }

    /// The concern as the origin of a case: it fills the form with what it knows, and is marked
    /// as having a case once the case is opened.
    static func caseOrigin(_ req: Request) async throws -> CaseOrigin {
        let concern = try await NeedToKnow.requireConcern(req)
        let id = concern.id!
        return CaseOrigin(id: id, reference: concern.reference, formAction: "/concerns/\(id.uuidString)/case",
                          prefill: ["age": concern.age?.rawValue ?? "", "summary": try concern.open(with: req.cipher).description],
                          // The team the concern is with now (it may have been moved since it was routed).
                          teamName: try await concern.$team.get(on: req.db)?.name ?? concern.routeList.first?.teamName) { db, c in
            guard let concern = try await Concern.find(id, on: db) else { return }
            concern.caseID = c.id
            if concern.status == .triaged || concern.status == .acknowledged { concern.status = .caseOpened }
            try await concern.save(on: db)
        }
    }

    // MARK: Reporting

    func newForm(req: Request) async throws -> Response {
        try await req.render("Concerns/new", PublicReportController.formView(nil, publicForm: false), title: "Report a concern")
    }

    func create(req: Request) async throws -> Response {
        try await EvidenceUpload.handle(req, limit: PublicReportController.uploadLimit) { upload in try await create(req, upload) }
    }

    private func create(_ req: Request, _ upload: EvidenceUpload) async throws -> Response {
        let form = try upload.decode(ConcernIntake.Form.self)
        var intake = ConcernIntake(form, files: upload, publicForm: false)
        intake.channel = .staff
        intake.values["received_on"] = form.received_on
        intake.values["received_on_reason"] = form.received_on_reason
        let received = EnteredLater.check(form.received_on, reason: form.received_on_reason, today: req.today, what: "received",
                                          field: "received_on", reasonField: "received_on_reason")
        for (field, message) in received.errors.sorted(by: { $0.key < $1.key }) { intake.errors.add(field, message) }
        var supplierID: UUID?
        if let named = intake.values["supplier"], !named.isEmpty {
            supplierID = try await Self.findSupplier(named, on: req.db)
            if supplierID == nil { intake.errors.add("supplier", "No supplier on the register has that company number or name; leave it blank if it is not a supplier") }
        }
        guard intake.errors.isEmpty else {
            return try await req.render("Concerns/new", PublicReportController.formView(intake, publicForm: false),
                                        title: "Report a concern", status: .unprocessableEntity)
        }
        let concern = try await intake.create(req, reportedBy: req.currentUser?.id, supplierID: supplierID, auditDetail: "staff report",
                                              receivedOn: received.day, lateReason: received.isBackdated ? form.received_on_reason : nil)
        req.flash("Concern \(concern.reference) reported and routed to \(concern.routeList.map(\.label).joined(separator: ", ")). Acknowledge by \(concern.acknowledgeByDay?.long ?? "").")
        if let user = req.currentUser, try await NeedToKnow.mayOpen(concern, user, on: req.db) {
            return req.redirect(to: "/concerns/\(concern.id!.uuidString)")
        }
        return req.redirect(to: "/concerns/mine")
    }

    static func findSupplier(_ named: String, on db: any Database) async throws -> UUID? {
        if let number = CompanyNumber.normalise(named),
           let found = try await Supplier.query(on: db).filter(\.$companyNumber == number).first() { return found.id }
        return try await Supplier.query(on: db).filter(\.$nameKey == OrganisationName.key(named)).first()?.id
    }

    /// A member of staff sees the references and status of what they reported, not the content.
    func mine(req: Request) async throws -> Response {
        struct Row: Encodable { let reference: String; let received: String; let status: String }
        let concerns = try await Concern.query(on: req.db).filter(\.$reportedBy == req.currentUser!.id!)
            .sort(\.$receivedAt, .descending).limit(100).all()
        return try await req.render("Concerns/mine", ["rows": concerns.map {
            Row(reference: $0.reference, received: DisplayDate.dateTime($0.receivedAt), status: $0.status.label)
        }], title: "Concerns you reported")
    }

    // MARK: The team's list

    struct ListRow: Encodable {
        let id: String
        let reference: String
        let received: String
        let channel: String
        let routes: String
        let status: String
        let statusKey: String
        let acknowledgeBy: String
        let overdue: Bool
        let danger: Bool
        let newMessage: Bool
    }

    func list(req: Request) async throws -> Response {
        let user = req.currentUser!
        let filter = req.queryValue("status").isEmpty ? "open" : req.queryValue("status")
        // By reference, within the concerns the person may open (the query is already scoped).
        let search = String(req.queryValue("q").trimmingCharacters(in: .whitespaces).prefix(40)).uppercased()
        let today = req.today
        var rows: [ListRow] = []
        var pagination = Pagination(page: 1, total: 0, path: "/concerns", query: [])
        if let query = NeedToKnow.concerns(req, user) {
            if !search.isEmpty { query.filter(\.$reference == search) }
            switch search.isEmpty ? filter : req.queryValue("status") {
            case "open": query.filter(\.$status != .closed)
            case "to_acknowledge": query.filter(\.$status == .received)
            case "closed": query.filter(\.$status == .closed)
            default: break
            }
            let total = try await query.copy().countRows()
            pagination = Pagination(page: req.requestedPage, total: total, path: "/concerns",
                                    query: [("status", filter)] + (search.isEmpty ? [] : [("q", search)]))
            let concerns = try await query.sort(\.$receivedAt, .descending).range(pagination.offset..<(pagination.offset + Pagination.perPage)).all()
            rows = concerns.map { c in
                let due = c.acknowledgeByDay
                return ListRow(id: c.id!.uuidString, reference: c.reference, received: DisplayDate.dateTime(c.receivedAt),
                               channel: c.channel.label, routes: c.routeList.map(\.label).joined(separator: "; "),
                               status: c.status.label, statusKey: c.status.rawValue,
                               acknowledgeBy: c.status == .received ? (due?.long ?? "") : "",
                               overdue: c.status == .received && (due.map { $0 < today } ?? false), danger: c.immediateDanger,
                               newMessage: c.lastReporterMessageAt != nil)
            }
        }
        struct View: Encodable {
            let rows: [ListRow]
            let pagination: Pagination
            let filters: [SelectOption]
            let hasTeam: Bool
            let search: String
        }
        let filters = [("open", "Open"), ("to_acknowledge", "Waiting for acknowledgement"), ("closed", "Closed"), ("all", "All")]
            .map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == filter) }
        return try await req.render("Concerns/list", View(rows: rows, pagination: pagination, filters: filters,
                                                         hasTeam: user.$team.id != nil || user.can(.overseeAllCases), search: search),
                                    title: "Concerns")
    }

    // MARK: The concern page

    struct ShowView: Encodable {
        struct Detail: Encodable { let label: String; let value: String }
        struct Message: Encodable { let from: String; let at: String; let body: String; let visibility: String }
        struct Indicator: Encodable { let group: String; let label: String; let source: String }
        let id: String
        let reference: String
        let status: String
        let statusKey: String
        let danger: Bool
        let policeCalled: Bool
        let details: [Detail]
        let description: String
        let indicators: [Indicator]
        let otherIndicators: String
        let messages: [Message]
        let files: [EvidenceStore.Row]
        let anonymous: Bool
        let hasReporterIdentity: Bool
        let reporter: ConcernReporter.Secrets?
        let canAcknowledge: Bool
        let canTriage: Bool
        let canClose: Bool
        let caseID: String?
        let handlers: [SelectOption]
        let outcomes: [SelectOption]
        /// Teams the concern can be sent to instead.
        let routes: [SelectOption]
        let canReroute: Bool
        let typed: TypedForm
        let errors: FormErrors
        let isFirstResponder: Bool
    }

    func show(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        try await req.audit(.read, .concern, id: concern.id?.uuidString)
        let response = try await render(req, concern, typed: TypedForm())
        // The list's "new message" flag clears once someone handling the concern has read it.
        if concern.lastReporterMessageAt != nil {
            concern.lastReporterMessageAt = nil
            try await concern.save(on: req.db)
        }
        return response
    }

    private func render(_ req: Request, _ concern: Concern, typed: TypedForm, reporter: ConcernReporter.Secrets? = nil,
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        let secrets = try concern.open(with: req.cipher)
        let messages = try await ConcernMessage.query(on: req.db).filter(\.$concern.$id == concern.id!).sort(\.$sentAt).all()
        let authorIDs = Set(messages.compactMap(\.authorID) + [concern.$handler.id, concern.reportedBy].compactMap { $0 })
        let people = try await User.query(on: req.db).filter(\.$id ~~ authorIDs).all()
        let name: (UUID?) -> String = { id in people.first { $0.id == id }?.displayName ?? "Unknown" }
        // Everyone who may handle it: whoever handles concerns and may open this one.
        let routedTeams = try await NeedToKnow.routedTeams(of: [concern.id!], on: req.db)[concern.id!] ?? []
        let handlers = try await User.query(on: req.db).filter(\.$isActive == true).sort(\.$displayName).all()
            .filter { NeedToKnow.ConcernScope($0).allows(concern, routedTo: routedTeams) }
        let hasReporter = try await ConcernReporter.query(on: req.db).filter(\.$concern.$id == concern.id!).countRows() > 0
        let organisation = try await req.organisation()
        let teamName = try await concern.$team.get(on: req.db)?.name ?? "Safeguarding leads'"
        var details: [ShowView.Detail] = [
            .init(label: "Received", value: DisplayDate.dateTime(concern.receivedAt)),
            .init(label: "From", value: concern.channel.label + (concern.reportedBy != nil ? " (\(name(concern.reportedBy)))" : "")),
            .init(label: "About", value: concern.subject.label),
            .init(label: "Who is at risk", value: secrets.whoAtRisk.isEmpty ? "Not known" : secrets.whoAtRisk),
            .init(label: "Age", value: concern.age?.label ?? "Not said"),
            .init(label: "A child may be involved", value: concern.childInvolved.label),
            .init(label: "Where", value: [secrets.location, secrets.postcode].filter { !$0.isEmpty }.joined(separator: ", ")),
            .init(label: "Routed to", value: concern.routeList.map(\.label).joined(separator: "; ")),
            .init(label: "Triage owner", value: concern.$handler.id.map { name($0) } ?? "\(teamName) team, not yet assigned to a person"),
            .init(label: "Acknowledge by", value: concern.acknowledgeByDay?.long ?? ""),
        ]
        if let outcome = concern.triageOutcome {
            details.append(.init(label: "Triage", value: outcome.label + (secrets.triageRationale.isEmpty ? "" : ": \(secrets.triageRationale)")))
        }
        if !secrets.referredTo.isEmpty {
            details.append(.init(label: "Referred to", value: secrets.referredTo + (secrets.referredReference.isEmpty ? "" : " (their reference \(secrets.referredReference))")))
        }
        if let former = secrets.formerReference { details.append(.init(label: "Reference in the former system", value: former)) }
        if let supplierID = concern.supplierID, let supplier = try await Supplier.find(supplierID, on: req.db) {
            details.append(.init(label: "Supplier", value: supplier.name))
        }
        let view = ShowView(
            id: concern.id!.uuidString, reference: concern.reference, status: concern.status.label, statusKey: concern.status.rawValue,
            danger: concern.immediateDanger, policeCalled: secrets.policeCalled, details: details, description: secrets.description,
            indicators: secrets.indicators.compactMap { o in
                IndicatorCatalogue.byID[o.indicatorID].map { .init(group: $0.group.heading, label: $0.label, source: o.source.label) }
            },
            otherIndicators: secrets.otherIndicators,
            messages: try messages.map { m in
                .init(from: m.visibility == .fromReporter ? "Reporter" : name(m.authorID), at: DisplayDate.dateTime(m.sentAt),
                      body: try m.open(with: req.cipher),
                      visibility: m.visibility == .internalNote ? "Internal note" : m.visibility == .toReporter ? "To the reporter" : "From the reporter")
            },
            files: try await EvidenceStore.rows(req, owner: .concern, id: concern.id!),
            anonymous: concern.channel == .publicAnonymous || concern.receiptHash != nil && !hasReporter,
            hasReporterIdentity: hasReporter, reporter: reporter,
            canAcknowledge: concern.status == .received, canTriage: concern.status == .acknowledged,
            canClose: [.referredOut, .noFurtherAction, .caseOpened, .triaged].contains(concern.status),
            caseID: concern.caseID?.uuidString,
            handlers: handlers.map { SelectOption(value: $0.id!.uuidString, label: "\($0.displayName) (\($0.role.displayName))", selected: $0.id == concern.$handler.id) },
            outcomes: TriageOutcome.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: typed.values["outcome"] == $0.rawValue) },
            routes: ConcernRoute.allCases.filter { concern.routeList != [$0] }
                .map { SelectOption(value: $0.rawValue, label: $0.label, selected: typed.values["route"] == $0.rawValue) },
            canReroute: concern.status != .closed,
            typed: typed, errors: typed.errors, isFirstResponder: organisation?.isFirstResponder ?? false)
        return try await req.render("Concerns/show", view, title: "Concern \(concern.reference)", status: status)
    }

    // MARK: Actions

    func acknowledge(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        guard concern.status == .received else { throw LanternError(.conflict, "This concern has already been acknowledged.") }
        let now = req.lantern.now()
        concern.status = .acknowledged
        concern.acknowledgedAt = now
        if concern.$handler.id == nil { concern.$handler.id = req.currentUser?.id }
        try await req.db.writeTransaction { db in
            try await concern.save(on: db)
            if concern.receiptHash != nil || concern.channel != .staff {
                try await ConcernMessage.post("Thank you. Your report has been read by the safeguarding team and is being looked into.",
                                              on: concern, visibility: .toReporter, author: req.currentUser?.id, at: now, cipher: req.cipher, db: db)
            }
            try await req.audit(.update, .concern, id: concern.id?.uuidString, detail: "acknowledged", on: db)
        }
        return req.redirect(to: "/concerns/\(concern.id!.uuidString)", saying: "Concern acknowledged.")
    }

    struct AssignForm: Content { var handler: String? }

    func assign(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        guard let id = try req.form(AssignForm.self).handler.flatMap(UUID.init(uuidString:)),
              let handler = try await User.find(id, on: req.db), handler.isActive,
              try await NeedToKnow.mayOpen(concern, handler, on: req.db) else {
            return try await render(req, concern, typed: TypedForm(section: "assign", errors: FormErrors([("handler", "Choose a handler from the teams the concern is routed to")])),
                                    status: .unprocessableEntity)
        }
        concern.$handler.id = handler.id
        try await req.write(concern, .update, .concern, detail: "handler assigned")
        return req.redirect(to: "/concerns/\(concern.id!.uuidString)", saying: "\(handler.displayName) is now handling the concern.")
    }

    struct RerouteForm: Content {
        @FormField var route: String = ""
        @FormField var reason: String = ""
    }

    /// Sends the concern to another team (children's, adults' or procurement): the new team
    /// holds it from now on and the old one no longer sees it. Why is kept as an internal note.
    func reroute(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        guard concern.status != .closed else { throw LanternError(.conflict, "This concern is closed; it can be read but not changed.") }
        let form = try req.form(RerouteForm.self)
        let reason = FormText.trim(form.reason)
        var typed = TypedForm(section: "route", values: ["route": form.route, "reason": reason])
        let route = ConcernRoute(rawValue: form.route)
        if route == nil { typed.errors.add("route", "Choose the team to send the concern to") }
        else if concern.routeList == [route!] { typed.errors.add("route", "The concern is already with \(route!.label); choose another team") }
        if reason.isEmpty { typed.errors.add("reason", "Say why the concern is moving, for the team that takes it") }
        else if reason.count > 2000 { typed.errors.add("reason", "The reason must be 2000 characters or fewer") }
        guard typed.errors.isEmpty, let route else { return try await render(req, concern, typed: typed, status: .unprocessableEntity) }
        guard let team = try await Team.query(on: req.db).filter(\.$name == route.teamName).first() else {
            throw LanternError(.conflict, "There is no \(route.teamName) team to send it to. An administrator can add it under Teams.")
        }
        let from = concern.routeList.map(\.label).joined(separator: " and ")
        concern.routes = route.rawValue
        concern.$team.id = team.id
        concern.$handler.id = nil
        let cipher = req.cipher, author = req.currentUser?.id, now = req.lantern.now()
        try await req.db.writeTransaction { db in
            try await ConcernTeam.query(on: db).filter(\.$concern.$id == concern.id!).delete()
            let link = ConcernTeam()
            link.$concern.id = concern.id!
            link.route = route
            link.$team.id = team.id
            try await link.create(on: db)
            try await concern.save(on: db)
            try await ConcernMessage.post("Moved from \(from) to \(route.label): \(reason)", on: concern, visibility: .internalNote,
                                          author: author, at: now, cipher: cipher, db: db)
            try await req.audit(.update, .concern, id: concern.id?.uuidString, detail: "rerouted to \(route.rawValue)", on: db)
        }
        let stillOpen = try await NeedToKnow.mayOpen(concern, req.currentUser!, on: req.db)
        return req.redirect(to: stillOpen ? "/concerns/\(concern.id!.uuidString)" : "/concerns",
                            saying: "Concern \(concern.reference) is now with the \(team.name) team.")
    }

    struct MessageForm: Content {
        @FormField var body: String = ""
        @FormField var visibility: String = ""
    }

    func message(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        return try await EvidenceUpload.handle(req, limit: PublicReportController.uploadLimit) { upload in
            let form = try upload.decode(MessageForm.self)
            let body = form.body
            var typed = TypedForm(section: "message", values: ["body": body, "visibility": form.visibility])
            let visibility = form.visibility == "to_reporter" ? MessageVisibility.toReporter : form.visibility == "internal" ? .internalNote : nil
            if visibility == nil { typed.errors.add("visibility", "Choose who can read the message") }
            if body.isEmpty && upload.files.isEmpty { typed.errors.add("body", "Write the message") }
            if body.count > ConcernRules.maximumTextLength { typed.errors.add("body", "The message must be \(ConcernRules.maximumTextLength) characters or fewer") }
            if visibility == .toReporter && concern.receiptHash == nil && concern.channel == .staff {
                typed.errors.add("visibility", "Staff reporters are contacted directly; use an internal note")
            }
            let accepted = upload.accepted(into: &typed.errors)
            guard typed.errors.isEmpty, let visibility else { return try await render(req, concern, typed: typed, status: .unprocessableEntity) }
            let now = req.lantern.now(), cipher = req.cipher, user = req.currentUser?.id
            try await req.db.writeTransaction { db in
                if !body.isEmpty {
                    try await ConcernMessage.post(body, on: concern, visibility: visibility, author: user, at: now, cipher: cipher, db: db)
                }
                for file in accepted {
                    try await EvidenceStore.attach(file, owner: .concern, ownerID: concern.id!, description: "Added by staff", uploadedBy: user,
                                                   fromReporter: false, cipher: cipher, on: db)
                }
                try await concern.save(on: db)
                try await req.audit(.create, .concernMessage, id: concern.id?.uuidString, detail: visibility.rawValue, on: db)
            }
            return req.redirect(to: "/concerns/\(concern.id!.uuidString)#messages", saying: visibility == .toReporter ? "Reply sent. The reporter will see it when they next use their code." : "Note added.")
        }
    }

    struct TriageForm: Content {
        var outcome: String?
        var rationale: String?
        var referred_to: String?
        var referred_reference: String?
    }

    func triage(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        let form = try req.form(TriageForm.self)
        let rationale = ConcernIntake.trim(form.rationale), to = ConcernIntake.trim(form.referred_to)
        let reference = ConcernIntake.trim(form.referred_reference)
        var typed = TypedForm(section: "triage", values: ["outcome": form.outcome ?? "", "rationale": rationale, "referred_to": to, "referred_reference": reference])
        if concern.status == .received { typed.errors.add("outcome", "Acknowledge the concern before triaging it") }
        else if concern.status != .acknowledged { typed.errors.add("outcome", "This concern has already been triaged") }
        let outcome = TriageOutcome(rawValue: form.outcome ?? "")
        if outcome == nil { typed.errors.add("outcome", "Select the outcome of triage") }
        if rationale.isEmpty { typed.errors.add("rationale", "Give the reasons for the decision") }
        if rationale.count > 4000 { typed.errors.add("rationale", "The reasons must be 4000 characters or fewer") }
        if let outcome, [.referToFirstResponder, .referToPolice, .referToHelpline].contains(outcome), to.isEmpty {
            typed.errors.add("referred_to", "Enter who the concern was passed to (for example the council's MASH, or the police)")
        }
        if to.count > 200 || reference.count > 100 { typed.errors.add("referred_to", "Keep the recipient to 200 characters and their reference to 100") }
        guard typed.errors.isEmpty, let outcome else { return try await render(req, concern, typed: typed, status: .unprocessableEntity) }
        var secrets = try concern.open(with: req.cipher)
        secrets.triageRationale = rationale
        secrets.referredTo = to
        secrets.referredReference = reference
        try concern.seal(secrets, with: req.cipher)
        concern.triageOutcome = outcome
        concern.status = outcome == .openCase ? .triaged : outcome.resultingStatus
        if concern.status == .referredOut { concern.referredOutAt = req.lantern.now() }
        if concern.$handler.id == nil { concern.$handler.id = req.currentUser?.id }
        try await req.write(concern, .update, .concern, detail: "triaged: \(outcome.rawValue)")
        if outcome == .openCase {
            return req.redirect(to: "/concerns/\(concern.id!.uuidString)/case")
        }
        return req.redirect(to: "/concerns/\(concern.id!.uuidString)", saying: "Triage recorded: \(outcome.label).")
    }

    func close(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        guard concern.status.next.contains(.closed) || concern.status == .triaged else {
            throw LanternError(.conflict, "A concern is closed only after triage.")
        }
        concern.status = .closed
        try await req.write(concern, .update, .concern, detail: "closed")
        return req.redirect(to: "/concerns/\(concern.id!.uuidString)", saying: "Concern closed.")
    }

    struct RevealForm: Content { var reason: String? }

    /// The reporter's identity is shown only on request, with a reason, to a safeguarding lead,
    /// and both are audited (`security.md` §1, identity).
    func revealReporter(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        let reason = ConcernIntake.trim(try req.form(RevealForm.self).reason)
        guard req.currentUser?.can(.overseeAllCases) == true else {
            try await req.audit(.permissionRefused, .concernReporter, id: concern.id?.uuidString, outcome: .denied)
            return try await render(req, concern, typed: TypedForm(section: "reveal", errors: FormErrors([("reason", "Only a safeguarding lead can see who reported a concern")])), status: .forbidden)
        }
        guard reason.count >= 10, reason.count <= 1000 else {
            return try await render(req, concern, typed: TypedForm(section: "reveal", values: ["reason": reason], errors: FormErrors([("reason", "Give the reason you need to know who reported this (at least 10 characters)")])), status: .unprocessableEntity)
        }
        guard let record = try await ConcernReporter.query(on: req.db).filter(\.$concern.$id == concern.id!).first() else {
            throw LanternError(.notFound, "This concern was reported anonymously; there is no identity to show.")
        }
        try await req.audit(.read, .concernReporter, id: concern.id?.uuidString, detail: "identity revealed; reason:", sealed: reason)
        return try await render(req, concern, typed: TypedForm(), reporter: try record.open(with: req.cipher))
    }

    func file(req: Request) async throws -> Response {
        let concern = try await NeedToKnow.requireConcern(req)
        guard let id = req.parameters.get("fileID", as: UUID.self), let record = try await EvidenceFile.find(id, on: req.db),
              record.ownerType == .concern, record.ownerID == concern.id else { throw LanternError.notFound }
        try await req.audit(.export, .evidenceFile, id: id.uuidString, detail: "concern \(concern.id!.uuidString)")
        return try EvidenceStore.download(req, record)
    }
}
