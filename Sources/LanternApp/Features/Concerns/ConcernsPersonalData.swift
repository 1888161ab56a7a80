import Fluent
import Foundation
import LanternCore

/// The personal data a concern holds, for the registry (`PersonalDataRegistry`).
enum ConcernsPersonalData {
    static let statisticsColumns = ["channel", "received_at", "subject_kind", "age_category", "child_involved", "routes", "triage_outcome"]

    static let tables: [PersonalDataTable] = [
        // Erased with its case, or alone when its own period runs out. A reporter who asked to
        // hear back keeps their receipt code, and is told what went (`toldWhatWent`).
        PersonalDataTable(table: Concern.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema), blindIndexes: ["former_reference_index"],
                          retention: .concernsNoFurtherAction, erasure: .reseal(keeping: statisticsColumns),
                          onRetention: .reseal(keeping: statisticsColumns, clearing: ["receipt_hash"]),
                          erasedContent: { _, _ in Concern.Secrets() }, erasedAtColumn: "erased_at", afterErasure: toldWhatWent, find: findConcerns),
        // The reporter's identity is theirs, not the person's: kept when the person's case is
        // erased, removed with the concern when its period runs out.
        PersonalDataTable(table: ConcernReporter.schema, subject: .reporter, link: .column("concern_id", of: Concern.schema),
                          retention: .anonymousReports, erasure: .keep("the reporter's own data, not the person's"), onRetention: .delete,
                          find: findReporters),
        PersonalDataTable(table: ConcernMessage.schema, subject: .person, link: .column("concern_id", of: Concern.schema),
                          retention: .concernsNoFurtherAction, erasure: .delete),
    ]

    static let retention = [
        RetentionRoot(record: .concernsNoFurtherAction, table: Concern.schema, auditEntity: .concern) { db, cutoff in
            try await Concern.query(on: db).filter(\.$status == .closed).filter(\.$triageOutcome == .noFurtherAction)
                .filter(\.$updatedAt < ReportPeriod.instant(cutoff)).filter(\.$erasedAt == nil).field(\.$id).all().compactMap(\.id)
        },
        // Anonymous: a receipt code and no reporter's name. A named reporter's concern follows its own class.
        RetentionRoot(record: .anonymousReports, table: Concern.schema, auditEntity: .concern) { db, cutoff in
            let candidates = try await Concern.query(on: db).filter(\.$status == .closed).filter(\.$receiptHash != nil)
                .filter(\.$updatedAt < ReportPeriod.instant(cutoff)).filter(\.$erasedAt == nil).field(\.$id).all().compactMap(\.id)
            let named = candidates.isEmpty ? [] : Set(try await ConcernReporter.query(on: db).filter(\.$concern.$id ~~ candidates)
                .field(\.$id).field(\.$concern.$id).all().map { $0.$concern.id })
            return candidates.filter { !named.contains($0) }
        },
    ]

    /// The message a reporter reads with their receipt code once the person's data is erased:
    /// their conversation went with it, and they are told so rather than finding it gone.
    static func erasureMessage(on day: Day) -> String {
        "On \(day.long) we removed the details of this report, and the messages about it, under data protection law. "
            + "Thank you for telling us. If you have anything new to tell us, you can still write to us here."
    }

    @Sendable static func toldWhatWent(_ context: ErasureContext, _ ids: [UUID]) async throws {
        guard context.purpose == .request else { return }
        for concern in try await Concern.query(on: context.db).filter(\.$id ~~ ids).filter(\.$receiptHash != nil).all() {
            try await ConcernMessage.post(erasureMessage(on: Day(context.now)), on: concern, visibility: .toReporter, author: nil,
                                          at: context.now, cipher: context.cipher, db: context.db)
        }
    }

    /// Concerns that name the person, or are linked to a case found. Who reported, and what they
    /// wrote, is the reporter's information: offered to the reviewer, left out of the copy by default.
    @Sendable static func findConcerns(_ q: PersonSearch.Query, _ context: PersonSearch.Context) async throws -> [PersonSearch.Found] {
        var found: [PersonSearch.Found] = []
        var lastID: UUID?
        while true {
            var page = Concern.query(on: context.db).filter(\.$erasedAt == nil).sort(\.$id).limit(1000)
            if let lastID { page = page.filter(\.$id > lastID) }
            let concerns = try await page.all()
            guard let last = concerns.last else { break }
            lastID = last.id
            for c in concerns {
                let s = try c.open(with: context.cipher)
                let linked = c.caseID.map(context.foundIDs.contains) ?? false
                guard linked || q.matchingName(in: s.whoAtRisk) != nil else { continue }
                var lines = ["Received: \(Day(c.receivedAt).long)", "Who is at risk: \(s.whoAtRisk)", "Where: \(s.location) \(s.postcode)"]
                var reporters = ["What the reporter wrote: \(s.description)"]
                if !s.otherIndicators.isEmpty { reporters.append("Other signs the reporter gave: \(s.otherIndicators)") }
                for m in try await ConcernMessage.query(on: context.db).filter(\.$concern.$id == c.id!).sort(\.$sentAt).all() {
                    switch m.visibility {
                    case .fromReporter: reporters.append("The reporter's message of \(Day(m.sentAt).long): \(try m.open(with: context.cipher))")
                    case .toReporter: reporters.append("Our message to the reporter of \(Day(m.sentAt).long): \(try m.open(with: context.cipher))")
                    case .internalNote: lines.append("Our note of \(Day(m.sentAt).long): \(try m.open(with: context.cipher))")
                    }
                }
                found.append(PersonSearch.Found(kind: "Concern", id: c.id!.uuidString, title: "Concern \(c.reference)", date: Day(c.receivedAt).iso,
                                                match: linked ? "linked to a case found" : "named in the concern", lines: lines, otherPeople: reporters))
            }
        }
        return found
    }

    /// Concerns the person reported, by the name they gave.
    @Sendable static func findReporters(_ q: PersonSearch.Query, _ context: PersonSearch.Context) async throws -> [PersonSearch.Found] {
        var found: [PersonSearch.Found] = []
        for r in try await ConcernReporter.query(on: context.db).with(\.$concern).sort(\.$id).all() {
            let s = try r.open(with: context.cipher)
            guard q.matchingName(in: s.name) != nil else { continue }
            found.append(PersonSearch.Found(kind: "Reporter", id: r.id!.uuidString, title: "Reporter of concern \(r.concern.reference)",
                                            date: Day(r.concern.receivedAt).iso, match: "name",
                                            lines: ["Name: \(s.name)", "Role: \(s.role)", "Organisation: \(s.organisation)", "Email: \(s.email)", "Phone: \(s.phone)"]))
        }
        return found
    }
}
