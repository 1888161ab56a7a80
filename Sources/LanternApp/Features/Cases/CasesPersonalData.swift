import Fluent
import Foundation
import LanternCore

/// The personal data a case holds, for the registry (`PersonalDataRegistry`). Erasure keeps
/// the coarse columns the partnership statistics count, which name no one.
enum CasesPersonalData {
    static let statisticsColumns = ["opened_at", "closed_at", "age_category", "under18_at_exploitation", "gender", "nationality",
                                    "second_nationality", "exploitation_types", "county_lines", "exploitation_location", "area"]
    static let onCase = PersonLink.column("case_id", of: SafeguardingCase.schema)

    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: SafeguardingCase.schema, subject: .person, link: .itself, blindIndexes: ["person_index", "name_index", "former_reference_index"],
                          retention: .closedCases, erasure: .reseal(keeping: statisticsColumns, clearing: ["next_deadline"]),
                          erasedContent: { _, _ in SafeguardingCase.Secrets() }, erasedAtColumn: "erased_at",
                          find: findCases, editor: CaseFields.editor),
        PersonalDataTable(table: CaseNote.schema, subject: .person, link: onCase, retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseTask.schema, subject: .person, link: onCase, retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseMarker.schema, subject: .person, link: onCase, retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseConsent.schema, subject: .person, link: onCase, ownKey: false,
                          sealedUnderParent: ["withdrawal_method_sealed": SafeguardingCase.schema], retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseAction.schema, subject: .person, link: onCase, retention: .closedCases, erasure: .delete),
        // Referrals stay counted (kind, dates, outcomes); their reference and notes go.
        PersonalDataTable(table: HomeOfficeReferral.schema, subject: .person, link: onCase, blindIndexes: ["reference_index"], retention: .closedCases,
                          erasure: .reseal(keeping: ["kind", "state", "started_on", "submitted_on", "rg_decision_on", "cg_decision_on", "rg_positive", "cg_positive"],
                                           clearing: ["due_on"]),
                          erasedContent: { _, _ in HomeOfficeReferral.Secrets() }),
        PersonalDataTable(table: HomeOfficeReferralTransition.schema, subject: .person, link: .column("notification_id", of: HomeOfficeReferral.schema),
                          retention: .closedCases, erasure: .reseal(keeping: ["from_state", "to_state", "on_day"]), erasedContent: { _, _ in "" }),
    ]

    /// Closed cases whose retention period has run out.
    static let retention = [
        RetentionRoot(record: .closedCases, table: SafeguardingCase.schema, auditEntity: .case) { db, cutoff in
            try await SafeguardingCase.query(on: db).filter(\.$status == .closed).filter(\.$closedAt < ReportPeriod.instant(cutoff))
                .filter(\.$erasedAt == nil).field(\.$id).all().compactMap(\.id)
        },
    ]

    /// Cases by name, alias, surname with date of birth, or Home Office reference, a page at a time.
    @Sendable static func findCases(_ q: PersonSearch.Query, _ context: PersonSearch.Context) async throws -> [PersonSearch.Found] {
        let (db, cipher) = (context.db, context.cipher)
        let indexes = q.dateOfBirth.map { dob in q.names.compactMap { $0.split(separator: " ").last.map { context.lookup.blindIndex("\($0)|\(dob.iso)", purpose: "person") } } } ?? []
        let references = Set(q.references.map { context.lookup.blindIndex($0, purpose: "home-office-reference") })
        let referenced = references.isEmpty ? [] : try await HomeOfficeReferral.query(on: db).filter(\.$referenceIndex ~~ Array(references)).all().map { $0.$safeguardingCase.id }
        var found: [PersonSearch.Found] = []
        var lastID: UUID?
        while true {
            var page = SafeguardingCase.query(on: db).filter(\.$erasedAt == nil).sort(\.$id).limit(1000)
            if let lastID { page = page.filter(\.$id > lastID) }
            let cases = try await page.all()
            guard let last = cases.last else { break }
            lastID = last.id
            for c in cases {
                let s = try c.open(with: cipher)
                var reason: String?
                if let index = c.personIndex, indexes.contains(index) { reason = "surname and date of birth" }
                else if referenced.contains(c.id!) { reason = "Home Office reference" }
                else if let name = q.matchingName(in: [s.firstName, s.lastName, s.nickname].joined(separator: " ")) { reason = "name \(name)" }
                else if s.aliases.split(separator: ",").contains(where: { q.matchingName(in: String($0)) != nil }) { reason = "alias" }
                guard let reason else { continue }
                found.append(PersonSearch.Found(kind: "Case", id: c.id!.uuidString, title: "Case \(c.reference)", date: Day(c.openedAt).iso, match: reason,
                                                lines: try await caseLines(c, s, on: db, cipher: cipher)))
            }
        }
        return found
    }

    /// A case's content for the copy, in plain words for the person who receives it: their
    /// details and every record on the case.
    static func caseLines(_ c: SafeguardingCase, _ s: SafeguardingCase.Secrets, on db: any Database, cipher: FieldCipher) async throws -> [String] {
        let plain = PersonSearch.plain
        var lines = ["Name: \(s.firstName) \(s.lastName)", "Other names: \([s.aliases, s.nickname].filter { !$0.isEmpty }.joined(separator: ", "))",
                     "Date of birth: \(plain(s.dateOfBirth))", "Gender: \(c.gender.label)", "Nationality: \(c.nationality)",
                     "Phone: \(s.phone)", "Email: \(s.email)", "Address: \(s.address)", "Safe contact: \(s.safeToContact)",
                     "What happened: \(s.exploitationSummary)", "Where: \([s.ukTowns, s.overseasCountries].filter { !$0.isEmpty }.joined(separator: "; "))",
                     "Exploitation types: \(c.types.map(\.label).joined(separator: "; "))", "Case opened: \(Day(c.openedAt).long)"]
        for n in try await CaseNote.query(on: db).filter(\.$safeguardingCase.$id == c.id!).sort(\.$writtenAt).all() {
            lines.append("Note \(Day(n.writtenAt).long): \(try n.open(with: cipher))")
        }
        for m in try await CaseMarker.query(on: db).filter(\.$safeguardingCase.$id == c.id!).sort(\.$setAt).all() {
            lines.append("Warning on the case, \(CasePage.label(CaseMarker.kinds, m.kind).lowercased()), set \(Day(m.setAt).long), to be reviewed by \(plain(m.reviewOn)): \(try m.open(with: cipher))")
        }
        let caseKey = try c.unwrappedKey(with: cipher)
        for consent in try await CaseConsent.query(on: db).filter(\.$safeguardingCase.$id == c.id!).sort(\.$recordedAt).all() {
            let withdrawal = try consent.withdrawnOn.map { ", withdrawn on \(plain($0)) (\(try consent.withdrawalMethod(caseKey: caseKey) ?? ""))" } ?? ""
            lines.append("Your consent to \(CasePage.label(CaseConsent.purposes, consent.purpose).lowercased()): \(consent.decision.label.lowercased()) on \(plain(consent.givenOn)) (explained with wording version \(consent.wordingVersion))" + withdrawal)
        }
        for a in try await CaseAction.query(on: db).filter(\.$safeguardingCase.$id == c.id!).sort(\.$sentOn).all() {
            let secrets = try a.open(with: cipher)
            let details = [secrets.recipient, secrets.theirReference.isEmpty ? "" : "their reference \(secrets.theirReference)", secrets.outcome].filter { !$0.isEmpty }
            lines.append("\(CasePage.label(CaseAction.kinds, a.kind)) on \(plain(a.sentOn))" + (details.isEmpty ? "" : ": " + details.joined(separator: "; ")))
        }
        for n in try await HomeOfficeReferral.query(on: db).filter(\.$safeguardingCase.$id == c.id!).sort(\.$startedOn).all() {
            lines.append("\(n.kind.label): \(n.state.label), reference \(try n.open(with: cipher).homeOfficeReference)")
        }
        return lines
    }
}
