import Crypto
import Fluent
import Foundation
import LanternCore
import Vapor

/// Reporting a concern without an account: the public, suppliers' workers and whistleblowers.
/// Anonymous reporters get a receipt code, shown once, to read replies and add messages.
///
/// Source: `shared/docs/domain/security.md` §1: only a keyed hash of the code is stored; no IP
/// address or user agent is stored anywhere (rate limits key on the address in memory only);
/// limits of 20 reports an hour in total and 5 per address; growing delays on failed codes;
/// `Referrer-Policy: no-referrer`, `Cache-Control: no-store`, `autocomplete=off`; one
/// first-party script, the proof of work, and the form works without it.
struct PublicReportController: RouteCollection {
    static let uploadLimit = EvidenceStore.maximumFilesPerSubmission * EvidenceKind.maximumBytes / 2
    /// What a member of the public may send with one report or message: files of up to 25 MB
    /// each, 50 MB in all. Lower than staff uploads, since anyone can post here.
    static let publicUploadLimit = 50 * 1_048_576
    static let reporterKey = "reporter_concern"

    func boot(routes: any RoutesBuilder) throws {
        let report = routes.grouped(PublicReportingHeaders()).grouped("report")
        report.get(use: form)
        report.upload(limit: Self.publicUploadLimit, use: submit)
        report.post("answers", use: PublicReportFlow.answer)
        report.get("follow-up", use: followUpForm)
        report.post("follow-up", use: followUp)
        report.get("messages", use: thread)
        report.upload("messages", limit: Self.publicUploadLimit, use: addMessage)
        report.post("leave", use: leave)
    }

    struct FormView: Encodable {
        let publicForm: Bool
        let values: [String: String]
        let checked: [String: Bool]
        var errors: FormErrors
        let groups: [IndicatorGroupView]
        let relationships: [SelectOption]
        let ages: [SelectOption]
        let childAnswers: [SelectOption]
        let subjects: [SelectOption]
        /// The signed proof-of-work challenge the page's script solves (public form only).
        var proofToken = ""
        /// Its answer, once a page's script has found it (carried through the report's pages).
        var proofSolution = ""
        /// The public form as a question flow (`PublicReportFlow`): this page's step, the answers
        /// given on the others (carried in hidden fields), and on the last page the summary.
        var flow: PublicReportFlow.Page?
    }

    static func formView(_ intake: ConcernIntake?, publicForm: Bool) -> FormView {
        let values = intake?.values ?? [:]
        let checked = intake?.checked ?? []
        let relationships: [ConcernChannel] = [.publicNamed, .supplierOrContractor, .selfReport, .partnerAgency, .housingAssociation]
        return FormView(
            publicForm: publicForm, values: values, checked: Dictionary(uniqueKeysWithValues: checked.map { ($0, true) }),
            errors: intake?.errors ?? FormErrors(),
            groups: IndicatorGroupView.all(checked: checked),
            relationships: relationships.map {
                SelectOption(value: $0.rawValue, label: $0 == .publicNamed ? "A member of the public" : $0.label,
                             selected: values["relationship"] == $0.rawValue)
            },
            ages: AgeCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["age"] == $0.rawValue) },
            childAnswers: Answer.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["child_involved"] == $0.rawValue) },
            subjects: ConcernSubject.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["subject"] == $0.rawValue) })
    }

    static func publicFormView(_ req: Request, _ intake: ConcernIntake?) -> FormView {
        var view = formView(intake, publicForm: true)
        view.proofToken = ProofOfWork.issue(key: req.lookupKeys.proofOfWorkKey, now: req.lantern.now(),
                                            bits: req.lantern.configuration.publicReporting.proofOfWorkBits)
        return view
    }

    func form(req: Request) async throws -> Response {
        try await PublicReportFlow.render(req, step: .danger, intake: nil)
    }

    /// Whether the report carries a solved challenge not used before; spends it if so.
    static func proven(_ req: Request, _ form: ConcernIntake.Form, now: Date) async throws -> Bool {
        guard case .solved(let challenge, let expires) = ProofOfWork.check(token: form.pow_token, solution: form.pow_solution,
                                                                           key: req.lookupKeys.proofOfWorkKey, now: now) else { return false }
        return try await SharedLimits.spend(bucket: req.lantern.publicLimits.spentChallenges, token: challenge, until: expires, on: req.db, now: now)
    }

    func submit(req: Request) async throws -> Response {
        let limits = req.lantern.publicLimits, address = req.clientAddressKey
        // Files are stored only while this sender and the hour's budget have room for a report.
        return try await EvidenceUpload.handle(req, limit: Self.publicUploadLimit, beforeFiles: { upload in
            let form = try upload.decode(ConcernIntake.Form.self), now = req.lantern.now()
            let solved = ProofOfWork.check(token: form.pow_token, solution: form.pow_solution, key: req.lookupKeys.proofOfWorkKey, now: now)
            let budget = if case .solved = solved { limits.reportsOverall } else { limits.reportsWithoutProof }
            guard try await SharedLimits.retryAfter(limits.reportsPerAddress, key: address, on: req.db, now: now) == 0,
                  try await SharedLimits.retryAfter(budget, key: limits.everyone, on: req.db, now: now) == 0 else { throw Self.tooMany }
        }) { upload in try await submit(req, upload) }
    }

    private func submit(_ req: Request, _ upload: EvidenceUpload) async throws -> Response {
        let limits = req.lantern.publicLimits
        let now = req.lantern.now()
        let address = req.clientAddressKey
        let form = try upload.decode(ConcernIntake.Form.self)
        let intake = ConcernIntake(form, files: upload, publicForm: true)
        guard intake.errors.isEmpty else {
            // Everything was asked a page at a time; what is still wrong (the files, or a form
            // sent without the pages) is shown on the check page, whose answers can be changed.
            return try await PublicReportFlow.render(req, step: .check, intake: intake, errors: intake.errors,
                                                     proof: (form.pow_token, form.pow_solution), status: .unprocessableEntity)
        }
        // Only reports that will be accepted count against the limits, so a flood of refused or
        // half-filled forms cannot use up the hour for genuine reporters. Reports with a solved
        // proof of work and those without have separate budgets for the hour.
        let proven = try await Self.proven(req, form, now: now)
        let budget = proven ? limits.reportsOverall : limits.reportsWithoutProof
        guard try await SharedLimits.take([(limits.reportsPerAddress, address), (budget, limits.everyone)], on: req.db, now: now) else {
            throw Self.tooMany
        }
        let code = ReceiptCode.generate()
        let concern = try await intake.create(req, reportedBy: nil, receiptHash: try await Self.receiptHash(code, req),
                                              auditDetail: "public report, \(intake.channel.rawValue)\(proven ? "" : ", without proof of work")")
        // The code is shown on this response only; the reporter is signed in to their thread.
        req.session.data[Self.reporterKey] = concern.id!.uuidString
        struct Receipt: Encodable { let code: String; let reference: String; let danger: Bool; let anonymous: Bool }
        return try await req.render("Concerns/receipt", Receipt(code: code.description, reference: concern.reference,
                                                                 danger: concern.immediateDanger, anonymous: intake.reporter == nil),
                                    title: "Your report has been sent")
    }

    struct FollowUpView: Encodable {
        let errors: FormErrors
        let wait: Int
        /// What was typed, kept after a code that did not match so it can be corrected.
        var code = ""
    }

    /// The receipt code's stretched hash, worked out on the thread pool: it is slow on purpose,
    /// and the event loop it would otherwise hold serves other requests meanwhile.
    static func receiptHash(_ code: ReceiptCode, _ req: Request) async throws -> String {
        // The key crosses to the pool as bytes: `SymmetricKey` is not `Sendable`.
        let pepper = req.lookupKeys.receiptPepper.withUnsafeBytes { Data($0) }
        return try await req.application.threadPool.runIfActive { code.hash(pepper: SymmetricKey(data: pepper)) }
    }

    func followUpForm(req: Request) async throws -> Response {
        try await req.render("Concerns/follow-up", FollowUpView(errors: FormErrors(), wait: 0), title: "Check on your report")
    }

    static let tooMany = LanternError(.tooManyRequests, title: "Too many reports just now",
        "We cannot take another report from here at the moment. If someone is in immediate danger, call 999. Otherwise try again in an hour, or call the Modern Slavery & Exploitation Helpline on 08000 121 700.")

    struct CodeForm: Content { var code: String? }

    func followUp(req: Request) async throws -> Response {
        let limits = req.lantern.publicLimits
        let now = req.lantern.now()
        let address = req.clientAddressKey
        // The try is counted before the code is looked up, so parallel guesses wait their turn.
        let typed = String((try req.form(CodeForm.self).code ?? "").prefix(40))
        let (wait, _) = try await SharedLimits.admitTry(bucket: limits.codeFailures, key: address, backoff: limits.codeBackoff,
                                                        free: limits.freeCodeFailures, keepFor: limits.codeFailureMemory, on: req.db, now: now)
        if wait > 0 {
            var errors = FormErrors()
            errors.add("code", "Too many codes that did not match. Wait \(wait) \(wait == 1 ? "second" : "seconds"), then try again")
            return try await req.render("Concerns/follow-up", FollowUpView(errors: errors, wait: wait, code: typed), title: "Check on your report",
                                        status: .tooManyRequests)
        }
        var errors = FormErrors()
        var found: Concern?
        if let code = ReceiptCode(typed: typed) {
            let hash = try await Self.receiptHash(code, req)
            found = try await Concern.query(on: req.db).filter(\.$receiptHash == hash).first()
            if found == nil { errors.add("code", "That code does not match a report. Check the 16 digits and try again") }
        } else {
            errors.add("code", "Enter the 16-digit code you were given, like 1234-5678-9012-3456")
        }
        guard let concern = found else {
            try await req.audit(.signInFailed, .receiptCode, outcome: .failure)
            return try await req.render("Concerns/follow-up", FollowUpView(errors: errors, wait: 0, code: typed), title: "Check on your report",
                                        status: .unprocessableEntity)
        }
        try await SharedLimits.succeeded(bucket: limits.codeFailures, key: address, on: req.db)
        req.session.data[Self.reporterKey] = concern.id!.uuidString
        try await req.audit(.signIn, .receiptCode, id: concern.id?.uuidString)
        return req.redirect(to: "/report/messages")
    }

    private func reporterConcern(_ req: Request) async throws -> Concern {
        guard let id = req.session.data[Self.reporterKey].flatMap(UUID.init(uuidString:)),
              let concern = try await Concern.find(id, on: req.db) else {
            throw LanternError(.unauthorized, title: "Enter your code first", "Go to Check on your report and enter the 16-digit code you were given.")
        }
        return concern
    }

    struct ThreadView: Encodable {
        struct Message: Encodable { let from: String; let at: String; let body: String }
        let reference: String
        let status: String
        let messages: [Message]
        let files: [EvidenceStore.Row]
        let values: [String: String]
        let errors: FormErrors
    }

    func thread(req: Request) async throws -> Response {
        let concern = try await reporterConcern(req)
        return try await renderThread(req, concern, values: [:], errors: FormErrors())
    }

    private func renderThread(_ req: Request, _ concern: Concern, values: [String: String], errors: FormErrors,
                              status: HTTPResponseStatus = .ok) async throws -> Response {
        let messages = try await ConcernMessage.query(on: req.db).filter(\.$concern.$id == concern.id!)
            .filter(\.$visibility ~~ [.toReporter, .fromReporter]).sort(\.$sentAt).all()
        let view = ThreadView(
            reference: concern.reference,
            status: concern.status == .received ? "Received: waiting to be read" : "Being looked at",
            messages: try messages.map {
                .init(from: $0.visibility == .fromReporter ? "You" : "The safeguarding team", at: DisplayDate.dateTime($0.sentAt),
                      body: try $0.open(with: req.cipher))
            },
            files: try await EvidenceStore.rows(req, owner: .concern, id: concern.id!, onlyFromReporter: true),
            values: values, errors: errors)
        return try await req.render("Concerns/thread", view, title: "Your report", status: status)
    }

    struct MessageForm: Content {
        @FormField var message: String = ""
    }

    func addMessage(req: Request) async throws -> Response {
        let concern = try await reporterConcern(req)
        let limits = req.lantern.publicLimits, key = concern.id!.uuidString
        return try await EvidenceUpload.handle(req, limit: Self.publicUploadLimit, beforeFiles: { _ in
            guard try await SharedLimits.retryAfter(limits.attachmentsPerReport, key: key, on: req.db, now: req.lantern.now()) == 0 else {
                throw LanternError(.tooManyRequests, title: "Too many files just now", "Too many files on this report in the last hour. Nothing was saved. Try again later.")
            }
        }) { upload in
            let body = try upload.decode(MessageForm.self).message
            var errors = FormErrors()
            if body.isEmpty && upload.files.isEmpty { errors.add("message", "Write a message or attach a file") }
            if body.count > ConcernRules.maximumTextLength { errors.add("message", "The message must be \(ConcernRules.maximumTextLength) characters or fewer") }
            let accepted = upload.accepted(into: &errors)
            let now = req.lantern.now()
            if !accepted.isEmpty, try await !SharedLimits.take([(limits.attachmentsPerReport, key)], on: req.db, now: now) {
                errors.add("files", "Too many files on this report in the last hour. Try again later")
            }
            if try await !SharedLimits.take([(limits.messagesPerReport, key)], on: req.db, now: now) {
                errors.add("message", "Too many messages on this report in the last hour. Try again later")
            }
            guard errors.isEmpty else {
                return try await renderThread(req, concern, values: ["message": body], errors: errors, status: .unprocessableEntity)
            }
            let cipher = req.cipher
            try await req.db.writeTransaction { db in
                if !body.isEmpty {
                    try await ConcernMessage.post(body, on: concern, visibility: .fromReporter, author: nil, at: now, cipher: cipher, db: db)
                }
                for file in accepted {
                    try await EvidenceStore.attach(file, owner: .concern, ownerID: concern.id!, description: "Sent with a message", uploadedBy: nil,
                                                   fromReporter: true, cipher: cipher, on: db)
                }
                concern.lastReporterMessageAt = now
                try await concern.save(on: db)
                try await req.audit(.create, .concernMessage, id: concern.id?.uuidString, detail: "from reporter", on: db)
            }
            return req.redirect(to: "/report/messages", saying: "Your message has been sent.")
        }
    }

    func leave(req: Request) async throws -> Response {
        req.session.data[Self.reporterKey] = nil
        return req.redirect(to: "/report/follow-up", saying: "You have left your report. Use your code to come back.")
    }
}

/// Public reporting pages tell the browser to keep nothing and send no referrer.
struct PublicReportingHeaders: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// The indicator checklist as the forms show it.
struct IndicatorGroupView: Encodable {
    struct Item: Encodable { let id: String; let label: String; let checked: Bool }
    let key: String
    let heading: String
    let items: [Item]

    static func all(checked: Set<String>) -> [IndicatorGroupView] {
        IndicatorGroup.allCases.map { group in
            IndicatorGroupView(key: group.rawValue, heading: group.heading, items: IndicatorCatalogue.indicators(in: group).map {
                Item(id: $0.id, label: $0.label, checked: checked.contains($0.id))
            })
        }
    }
}
