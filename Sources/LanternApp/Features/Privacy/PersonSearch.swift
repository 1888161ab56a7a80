import Fluent
import Foundation
import LanternCore

/// Finds what Lantern holds about a person, across every feature, for a subject access request:
/// cases (by name, alias, date of birth or Home Office reference), concerns that name them,
/// concerns they reported, and the staff training list. Sealed records are opened to compare
/// names, so the search reads every case and concern once; blind indexes find exact surname
/// and date of birth, and Home Office references, without opening anything.
enum PersonSearch {
    struct Query: Sendable {
        var names: [String]
        var dateOfBirth: Day?
        var references: [String]
    }

    /// One record found, with its content as the copy will show it.
    struct Found: Codable, Sendable {
        let kind: String
        let id: String
        let title: String
        let date: String
        let match: String
        let lines: [String]
        /// Information that is another person's (a reporter's account and messages): left out of
        /// the copy unless the reviewer adds a line back. Optional so earlier searches still open.
        var otherPeople: [String]? = nil
    }

    static func normalised(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }

    /// A name matches when every word of it appears among the record's name words.
    static func matches(_ wanted: [String], in text: String) -> String? {
        let words = Set(normalised(text).split(separator: " ").map(String.init))
        for name in wanted {
            let parts = normalised(name).split(separator: " ").map(String.init)
            if !parts.isEmpty && parts.allSatisfy(words.contains) { return name }
        }
        return nil
    }

    static func run(_ q: Query, on db: any Database, cipher: FieldCipher, lookup: LookupKeys) async throws -> [Found] {
        var found: [Found] = []
        var caseIDs = Set<UUID>()
        let indexes = q.dateOfBirth.map { dob in q.names.compactMap { $0.split(separator: " ").last.map { lookup.blindIndex("\($0)|\(dob.iso)", purpose: "person") } } } ?? []
        let references = Set(q.references.map { lookup.blindIndex($0, purpose: "home-office-reference") })
        let referenced = references.isEmpty ? [] : try await Notification.query(on: db).filter(\.$referenceIndex ~~ Array(references)).all().map { $0.$safeguardingCase.id }

        // Cases, a page at a time.
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
                else if let name = matches(q.names, in: [s.firstName, s.lastName, s.nickname].joined(separator: " ")) { reason = "name \(name)" }
                else if s.aliases.split(separator: ",").contains(where: { matches(q.names, in: String($0)) != nil }) { reason = "alias" }
                guard let reason else { continue }
                caseIDs.insert(c.id!)
                found.append(Found(kind: "Case", id: c.id!.uuidString, title: "Case \(c.reference)", date: Day(c.openedAt).iso, match: reason,
                                   lines: try await caseLines(c, s, on: db, cipher: cipher)))
            }
        }

        // Concerns that name the person, or are linked to a case found; and concerns they reported.
        var lastConcern: UUID?
        while true {
            var page = Concern.query(on: db).filter(\.$erasedAt == nil).sort(\.$id).limit(1000)
            if let lastConcern { page = page.filter(\.$id > lastConcern) }
            let concerns = try await page.all()
            guard let last = concerns.last else { break }
            lastConcern = last.id
            for c in concerns {
                let s = try c.open(with: cipher)
                let linked = c.caseID.map(caseIDs.contains) ?? false
                guard linked || matches(q.names, in: s.whoAtRisk) != nil else { continue }
                // Who reported, and what they wrote, is the reporter's information, not the person's.
                var lines = ["Received: \(Day(c.receivedAt).long)", "Who is at risk: \(s.whoAtRisk)", "Where: \(s.location) \(s.postcode)"]
                var reporters = ["What the reporter wrote: \(s.description)"]
                if !s.otherIndicators.isEmpty { reporters.append("Other signs the reporter gave: \(s.otherIndicators)") }
                for m in try await ConcernMessage.query(on: db).filter(\.$concern.$id == c.id!).sort(\.$sentAt).all() {
                    switch m.visibility {
                    case .fromReporter: reporters.append("The reporter's message of \(Day(m.sentAt).long): \(try m.open(with: cipher))")
                    case .toReporter: reporters.append("Our message to the reporter of \(Day(m.sentAt).long): \(try m.open(with: cipher))")
                    case .internalNote: lines.append("Our note of \(Day(m.sentAt).long): \(try m.open(with: cipher))")
                    }
                }
                found.append(Found(kind: "Concern", id: c.id!.uuidString, title: "Concern \(c.reference)", date: Day(c.receivedAt).iso,
                                   match: linked ? "linked to a case found" : "named in the concern", lines: lines, otherPeople: reporters))
            }
        }
        for r in try await ConcernReporter.query(on: db).with(\.$concern).all() {
            let s = try r.open(with: cipher)
            guard matches(q.names, in: s.name) != nil else { continue }
            found.append(Found(kind: "Reporter", id: r.id!.uuidString, title: "Reporter of concern \(r.concern.reference)", date: Day(r.concern.receivedAt).iso,
                               match: "name", lines: ["Name: \(s.name)", "Role: \(s.role)", "Organisation: \(s.organisation)", "Email: \(s.email)", "Phone: \(s.phone)"]))
        }

        // The staff training list (not sealed: names, job titles, completions).
        for p in try await StaffMember.query(on: db).all() where matches(q.names, in: p.name) != nil {
            let done = try await TrainingCompletion.query(on: db).filter(\.$staff.$id == p.id!).with(\.$course).sort(\.$completedOn).all()
            found.append(Found(kind: "Training record", id: p.id!.uuidString, title: "Staff number \(p.staffNumber)", date: p.startedOn ?? "",
                               match: "name", lines: ["Name: \(p.name)", "Job title: \(p.jobTitle ?? "")", "Directorate: \(p.directorate ?? "")", "Email: \(p.email ?? "")"]
                                   + done.map { "Completed \($0.course.name) on \(plain($0.completedOn)) (\($0.provider))" }))
        }
        return found
    }

    /// A date as the person reads it ("14 March 1990"), whatever form it was stored in.
    static func plain(_ stored: String) -> String { Day(parsing: stored)?.long ?? stored }

    /// A case's content for the copy, in plain words for the person who receives it: their
    /// details and every record on the case.
    static func caseLines(_ c: SafeguardingCase, _ s: SafeguardingCase.Secrets, on db: any Database, cipher: FieldCipher) async throws -> [String] {
        func label(_ table: [(String, String)], _ key: String) -> String { table.first { $0.0 == key }?.1 ?? key }
        var lines = ["Name: \(s.firstName) \(s.lastName)", "Other names: \([s.aliases, s.nickname].filter { !$0.isEmpty }.joined(separator: ", "))",
                     "Date of birth: \(plain(s.dateOfBirth))", "Gender: \(c.gender.label)", "Nationality: \(c.nationality)",
                     "Phone: \(s.phone)", "Email: \(s.email)", "Address: \(s.address)", "Safe contact: \(s.safeToContact)",
                     "What happened: \(s.exploitationSummary)", "Where: \([s.ukTowns, s.overseasCountries].filter { !$0.isEmpty }.joined(separator: "; "))",
                     "Exploitation types: \(c.types.map(\.label).joined(separator: "; "))", "Case opened: \(Day(c.openedAt).long)"]
        for n in try await CaseNote.query(on: db).filter(\.$safeguardingCase.$id == c.id!).sort(\.$writtenAt).all() {
            lines.append("Note \(Day(n.writtenAt).long): \(try n.open(with: cipher))")
        }
        for m in try await CaseMarker.query(on: db).filter(\.$safeguardingCase.$id == c.id!).all() {
            lines.append("Warning on the case, \(label(CaseMarker.kinds, m.kind).lowercased()), set \(Day(m.setAt).long), to be reviewed by \(plain(m.reviewOn)): \(try m.open(with: cipher))")
        }
        let caseKey = try c.unwrappedKey(with: cipher)
        for consent in try await CaseConsent.query(on: db).filter(\.$safeguardingCase.$id == c.id!).all() {
            let withdrawal = try consent.withdrawnOn.map { ", withdrawn on \(plain($0)) (\(try consent.withdrawalMethod(caseKey: caseKey) ?? ""))" } ?? ""
            lines.append("Your consent to \(label(CaseConsent.purposes, consent.purpose).lowercased()): \(consent.decision.label.lowercased()) on \(plain(consent.givenOn)) (explained with wording version \(consent.wordingVersion))" + withdrawal)
        }
        for a in try await CaseAction.query(on: db).filter(\.$safeguardingCase.$id == c.id!).all() {
            let secrets = try a.open(with: cipher)
            let details = [secrets.recipient, secrets.theirReference.isEmpty ? "" : "their reference \(secrets.theirReference)", secrets.outcome].filter { !$0.isEmpty }
            lines.append("\(label(CaseAction.kinds, a.kind)) on \(plain(a.sentOn))" + (details.isEmpty ? "" : ": " + details.joined(separator: "; ")))
        }
        for n in try await Notification.query(on: db).filter(\.$safeguardingCase.$id == c.id!).all() {
            lines.append("\(n.kind.label): \(n.state.label), reference \(try n.open(with: cipher).homeOfficeReference)")
        }
        return lines
    }
}
