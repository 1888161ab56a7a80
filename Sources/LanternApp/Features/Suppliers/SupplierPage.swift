import Fluent
import Foundation
import LanternCore
import StatementChecker
import Vapor

/// One supplier's page: its details, Selection Questionnaire section 7, declaration,
/// statement check with its gaps, contacts and contracts. Each form posts here and, when
/// something is wrong, the page comes back with the errors and what was typed.
struct SupplierPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewSuppliers).get("suppliers", ":supplierID", use: show)
        let edit = routes.requiring(.editSuppliers).grouped("suppliers", ":supplierID")
        edit.post("questionnaire", use: saveQuestionnaire)
        edit.post("declaration", use: saveDeclaration)
        edit.post("contacts", use: addContact)
        edit.post("contacts", ":contactID", "remove", use: removeContact)
        edit.on(.POST, "statement", body: .collect(maxSize: ByteCount(value: StatementsController.uploadLimit)), use: checkStatement)
            .userInfo[AnySendableHashable(RouteTag.bodyLimit)] = StatementsController.uploadLimit
    }

    static func find(_ req: Request) async throws -> Supplier {
        guard let id = req.parameters.get("supplierID").flatMap(UUID.init(uuidString:)),
              let supplier = try await Supplier.find(id, on: req.db) else { throw LanternError.notFound }
        return supplier
    }

    typealias Typed = TypedForm

    struct Gap: Encodable { let label: String; let verdict: String }
    struct ContactRow: Encodable { let id: String; let name: String; let role: String; let email: String; let phone: String }
    struct ContractRow: Encodable { let id: String; let title: String; let value: String; let risk: String; let riskLabel: String; let review: String }

    struct View: Encodable {
        let id: String
        let name: String
        let companyNumber: String
        let address: String
        let sectors: String
        let operationCountries: String
        let sourcingCountries: String
        let turnover: String
        let parentCompany: String
        let statementURL: String
        let canEdit: Bool
        // Questionnaire
        let sqAnswered: Bool
        let sqRelevant: [SelectOption]
        let sqCompliant: [SelectOption]
        let sqStatementURL: String
        let sqExplanation: String
        let sqAnsweredOn: String
        let sqFlags: [String]
        // Declaration
        let declaration: DeclarationView?
        let declarationValues: [String: String]
        // Statement
        let statement: StatementView?
        let statementFormURL: String
        // Lists
        let contacts: [ContactRow]
        let contracts: [ContractRow]
        let typed: Typed
        /// The refused form's errors, where the page's error summary looks for them.
        let errors: FormErrors
    }

    struct DeclarationView: Encodable {
        let notInvolved: Bool
        let notInvestigated: Bool
        let signedBy: String
        let signedRole: String
        let signedOn: String
        let clean: Bool
        let current: Bool
    }

    struct StatementView: Encodable {
        let checkID: String
        let source: String
        let checkedAt: String
        let periodEnd: String
        let outOfDate: Bool
        let staleSince: String
        let met: Int
        let criteria: Int
        let gaps: [Gap]
        /// The latest check against the one before it, when there is one.
        let comparison: ComparisonView?
    }

    struct ChangeView: Encodable { let title: String; let was: String; let now: String; let sentences: [String] }
    struct ComparisonView: Encodable {
        let previousCheckID: String
        let previousCheckedAt: String
        let gained: [ChangeView]
        let lost: [ChangeView]
        /// "1 April 2023 to 31 March 2024, was 1 April 2022 to 31 March 2023", when it changed.
        let period: String?
    }

    /// The supplier's latest check compared with the one before it (`StatementComparison`).
    static func comparison(_ supplierID: UUID, latest: StatementCheckRecord, report: StatementReport, on db: any Database) async throws -> ComparisonView? {
        guard let previous = try await StatementCheckRecord.query(on: db).filter(\.$supplierID == supplierID).filter(\.$id != latest.id!)
            .filter(\.$checkedAt <= latest.checkedAt).sort(\.$checkedAt, .descending).sort(\.$id).first(),
            let before = try? JSONDecoder().decode(StatementReport.self, from: previous.report) else { return nil }
        let c = StatementComparison(previous: before, latest: report)
        func view(_ change: StatementComparison.Change) -> ChangeView {
            ChangeView(title: change.title, was: StatementVerdicts.label(change.from.rawValue), now: StatementVerdicts.label(change.to.rawValue),
                       sentences: Array(change.sentences.prefix(3)))
        }
        return ComparisonView(previousCheckID: previous.id!.uuidString, previousCheckedAt: DisplayDate.date(previous.checkedAt),
                              gained: c.gained.map(view), lost: c.lost.map(view),
                              period: c.periodChanged ? "\(c.period ?? "not found"), was \(c.previousPeriod ?? "not found")" : nil)
    }

    func view(_ req: Request, _ supplier: Supplier, typed: Typed = Typed()) async throws -> View {
        let id = supplier.id!
        let today = req.today
        let sq = supplier.questionnaire
        let sqValues = typed.section == "questionnaire" ? typed.values : [
            "relevant": supplier.sqRelevant ?? "", "compliant": supplier.sqCompliant ?? "",
            "statement_url": supplier.sqStatementURL ?? "", "explanation": supplier.sqExplanation ?? "",
        ]
        var statement: StatementView?
        if let checkID = supplier.statementCheckID, let record = try await StatementCheckRecord.find(checkID, on: req.db),
           let report = try? JSONDecoder().decode(StatementReport.self, from: record.report) {
            let end = supplier.statementPeriodEnd.flatMap(Day.init(parsing:))
            statement = StatementView(
                checkID: checkID.uuidString, source: record.source, checkedAt: DisplayDate.dateTime(record.checkedAt),
                periodEnd: end?.long ?? "Not found in the statement",
                outOfDate: end.map { StatementCurrency.isOutOfDate(periodEnd: $0, today: today) } ?? false,
                staleSince: end?.adding(months: StatementCurrency.graceMonths).long ?? "",
                met: record.metCount, criteria: record.criteriaCount,
                gaps: report.ukCriteria.filter { $0.verdict != .met }.map { Gap(label: $0.title, verdict: $0.verdict.rawValue.replacingOccurrences(of: "_", with: " ")) },
                comparison: try await Self.comparison(id, latest: record, report: report, on: req.db))
        }
        let declaration = supplier.declaration.map {
            DeclarationView(notInvolved: $0.notInvolved, notInvestigated: $0.notInvestigated, signedBy: $0.signedBy, signedRole: $0.signedRole,
                            signedOn: $0.signedOn.long, clean: $0.isClean, current: $0.isCurrent(on: today))
        }
        let contacts = try await SupplierContact.query(on: req.db).filter(\.$supplier.$id == id).sort(\.$name).all()
        let contracts = try await Contract.query(on: req.db).filter(\.$supplier.$id == id).sort(\.$title).limit(200).all()
        return View(
            id: id.uuidString, name: supplier.name, companyNumber: supplier.companyNumber ?? "Not recorded",
            address: supplier.address ?? "Not recorded",
            sectors: supplier.sectorList.map(\.label).joined(separator: "; ").ifEmpty("Not recorded"),
            operationCountries: supplier.operationCountries.joined(separator: "; ").ifEmpty("Not recorded"),
            sourcingCountries: supplier.sourcingCountries.joined(separator: "; ").ifEmpty("Not recorded"),
            turnover: supplier.turnover?.label ?? "Not recorded", parentCompany: supplier.parentCompany ?? "None recorded",
            statementURL: supplier.statementURL ?? "", canEdit: req.currentUser?.can(.editSuppliers) ?? false,
            sqAnswered: sq != nil,
            sqRelevant: SelectionQuestionnaireSeven.RelevantOrganisation.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: sqValues["relevant"] == $0.rawValue) },
            sqCompliant: SelectionQuestionnaireSeven.Compliant.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: sqValues["compliant"] == $0.rawValue) },
            sqStatementURL: sqValues["statement_url"] ?? "", sqExplanation: sqValues["explanation"] ?? "",
            sqAnsweredOn: supplier.sqAnsweredOn.flatMap(Day.init(parsing:))?.long ?? "",
            sqFlags: sq?.flags(turnover: supplier.turnover) ?? [],
            declaration: declaration,
            declarationValues: typed.section == "declaration" ? typed.values : [
                "not_involved": supplier.declarationNotInvolved.map { $0 ? "yes" : "no" } ?? "",
                "not_investigated": supplier.declarationNotInvestigated.map { $0 ? "yes" : "no" } ?? "",
                "signed_by": supplier.declarationSignedBy ?? "", "signed_role": supplier.declarationSignedRole ?? "",
                "signed_on": supplier.declarationSignedOn ?? "",
            ],
            statement: statement,
            statementFormURL: typed.section == "statement" ? typed.values["url"] ?? "" : supplier.statementURL ?? supplier.sqStatementURL ?? "",
            contacts: contacts.map { ContactRow(id: $0.id!.uuidString, name: $0.name, role: $0.role, email: $0.email, phone: $0.phone) },
            contracts: contracts.map {
                ContractRow(id: $0.id!.uuidString, title: $0.title, value: $0.value?.description ?? "", risk: $0.riskLevel ?? "not_assessed",
                            riskLabel: $0.level?.label ?? "Not assessed", review: $0.nextReview?.long ?? "")
            },
            typed: typed, errors: typed.errors)
    }

    func show(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        try await req.audit(.read, .supplier, id: supplier.id?.uuidString)
        return try await req.render("Suppliers/show", try await view(req, supplier), title: supplier.name)
    }

    private func refuse(_ req: Request, _ supplier: Supplier, _ typed: Typed) async throws -> Response {
        try await req.render("Suppliers/show", try await view(req, supplier, typed: typed), title: supplier.name, status: .unprocessableEntity)
    }

    // MARK: Selection Questionnaire section 7

    struct QuestionnaireForm: Content {
        var relevant: String?
        var compliant: String?
        var statement_url: String?
        var explanation: String?
    }

    func saveQuestionnaire(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        let form = try req.form(QuestionnaireForm.self)
        let url = (form.statement_url ?? "").trimmingCharacters(in: .whitespaces)
        let explanation = (form.explanation ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var typed = Typed(section: "questionnaire", values: ["relevant": form.relevant ?? "", "compliant": form.compliant ?? "",
                                                             "statement_url": url, "explanation": explanation])
        guard let relevant = form.relevant.flatMap(SelectionQuestionnaireSeven.RelevantOrganisation.init(rawValue:)) else {
            typed.errors.add("relevant", "Select whether the supplier is a relevant commercial organisation (question 7.1)")
            return try await refuse(req, supplier, typed)
        }
        let answers = SelectionQuestionnaireSeven(relevant: relevant, compliant: form.compliant.flatMap(SelectionQuestionnaireSeven.Compliant.init(rawValue:)),
                                                  statementURL: url.isEmpty ? nil : url, explanation: explanation.isEmpty ? nil : explanation)
        for problem in answers.problems() { typed.errors.add(problem.field, problem.message) }
        if explanation.count > 2000 { typed.errors.add("explanation", "The explanation must be 2,000 characters or fewer") }
        guard typed.errors.isEmpty else { return try await refuse(req, supplier, typed) }
        supplier.sqRelevant = relevant.rawValue
        supplier.sqCompliant = relevant == .yes ? answers.compliant?.rawValue : nil
        supplier.sqStatementURL = relevant == .yes && answers.compliant == .yes ? url : nil
        supplier.sqExplanation = relevant == .yes && answers.compliant == .no ? explanation : nil
        supplier.sqAnsweredOn = req.today.iso
        if let url = supplier.sqStatementURL, supplier.statementURL == nil { supplier.statementURL = url }
        try await req.write(supplier, .update, .supplier, detail: "selection questionnaire section 7")
        return req.redirect(to: "/suppliers/\(supplier.id!.uuidString)#questionnaire", saying: "Selection Questionnaire answers saved.")
    }

    // MARK: Declaration

    struct DeclarationForm: Content {
        var not_involved: String?
        var not_investigated: String?
        var signed_by: String?
        var signed_role: String?
        var signed_on: String?
    }

    func saveDeclaration(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        let form = try req.form(DeclarationForm.self)
        let by = (form.signed_by ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let role = (form.signed_role ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let on = (form.signed_on ?? "").trimmingCharacters(in: .whitespaces)
        var typed = Typed(section: "declaration", values: ["not_involved": form.not_involved ?? "", "not_investigated": form.not_investigated ?? "",
                                                           "signed_by": by, "signed_role": role, "signed_on": on])
        let notInvolved = ["yes", "no"].contains(form.not_involved ?? "") ? form.not_involved == "yes" : nil
        let notInvestigated = ["yes", "no"].contains(form.not_investigated ?? "") ? form.not_investigated == "yes" : nil
        if notInvolved == nil { typed.errors.add("not_involved", "Select whether the supplier declares it is not involved in modern slavery") }
        if notInvestigated == nil { typed.errors.add("not_investigated", "Select whether the supplier declares it has not been investigated for a modern slavery offence") }
        if by.isEmpty { typed.errors.add("signed_by", "Enter the name of the person who signed the declaration") }
        else if by.count > 200 { typed.errors.add("signed_by", "The name must be 200 characters or fewer") }
        if role.count > 200 { typed.errors.add("signed_role", "The role must be 200 characters or fewer") }
        let day = Day(parsing: on)
        if on.isEmpty { typed.errors.add("signed_on", "Enter the date the declaration was signed") }
        else if day == nil { typed.errors.add("signed_on", "Enter the date as YYYY-MM-DD or DD/MM/YYYY") }
        else if let day, day > req.today { typed.errors.add("signed_on", "The date signed cannot be in the future") }
        guard typed.errors.isEmpty, let day, let notInvolved, let notInvestigated else { return try await refuse(req, supplier, typed) }
        supplier.declarationNotInvolved = notInvolved
        supplier.declarationNotInvestigated = notInvestigated
        supplier.declarationSignedBy = by
        supplier.declarationSignedRole = role
        supplier.declarationSignedOn = day.iso
        try await req.write(supplier, .update, .supplier, detail: "declaration")
        return req.redirect(to: "/suppliers/\(supplier.id!.uuidString)#declaration", saying: "Declaration recorded.")
    }

    // MARK: Statement

    struct StatementForm: Content {
        var url: String?
        var file: File?
    }

    func checkStatement(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        let form = try req.form(StatementForm.self)
        let url = (form.url ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch try await req.checkStatement(url: url, upload: form.file, supplierID: supplier.id) {
        case .refused(let errors):
            return try await refuse(req, supplier, Typed(section: "statement", values: ["url": url], errors: errors))
        case .checked(let record, let report):
            supplier.take(record, report, url: url)
            try await req.write(supplier, .update, .supplier, detail: "statement checked")
            return req.redirect(to: "/suppliers/\(supplier.id!.uuidString)#statement", saying: "Statement checked: \(record.metCount) of \(record.criteriaCount) UK criteria met.")
        }
    }

    // MARK: Contacts

    struct ContactForm: Content {
        var name: String?
        var role: String?
        var email: String?
        var phone: String?
    }

    func addContact(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        let form = try req.form(ContactForm.self)
        let trim = { (s: String?) in (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let (name, role, email, phone) = (trim(form.name), trim(form.role), trim(form.email), trim(form.phone))
        var typed = Typed(section: "contact", values: ["name": name, "role": role, "email": email, "phone": phone])
        if name.isEmpty { typed.errors.add("contact_name", "Enter the contact's name") }
        else if name.count > 200 { typed.errors.add("contact_name", "The name must be 200 characters or fewer") }
        if role.count > 200 { typed.errors.add("contact_role", "The role must be 200 characters or fewer") }
        if email.isEmpty && phone.isEmpty { typed.errors.add("contact_email", "Enter an email address or a phone number") }
        if !email.isEmpty && (email.count > 254 || !email.contains("@") || email.contains(" ")) {
            typed.errors.add("contact_email", "Enter an email address in the correct format, like name@example.com")
        }
        if !phone.isEmpty && (phone.count > 40 || !phone.allSatisfy({ $0.isNumber || " +()-".contains($0) })) {
            typed.errors.add("contact_phone", "Enter a phone number using digits, spaces, brackets, + and -")
        }
        guard typed.errors.isEmpty else { return try await refuse(req, supplier, typed) }
        let contact = SupplierContact(supplierID: supplier.id!, name: name, role: role, email: email, phone: phone)
        try await req.write(contact, .create, .supplierContact)
        return req.redirect(to: "/suppliers/\(supplier.id!.uuidString)#contacts", saying: "Contact \(name) added.")
    }

    func removeContact(req: Request) async throws -> Response {
        let supplier = try await SupplierPage.find(req)
        guard let id = req.parameters.get("contactID").flatMap(UUID.init(uuidString:)),
              let contact = try await SupplierContact.query(on: req.db).filter(\.$id == id).filter(\.$supplier.$id == supplier.id!).first()
        else { throw LanternError.notFound }
        guard req.isConfirmed else {
            return try await req.confirmation("Remove \(contact.name) from \(supplier.name)'s contacts?",
                                              ["Their name and contact details will be deleted from Lantern. The audit log keeps a record that a contact was removed, without their details."],
                                              button: "Yes, remove the contact", cancel: "/suppliers/\(supplier.id!.uuidString)#contacts", irreversible: true)
        }
        try await req.db.writeTransaction { db in
            try await contact.delete(on: db)
            try await req.audit(.delete, .supplierContact, id: id.uuidString, on: db)
        }
        return req.redirect(to: "/suppliers/\(supplier.id!.uuidString)#contacts", saying: "Contact \(contact.name) removed.")
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
