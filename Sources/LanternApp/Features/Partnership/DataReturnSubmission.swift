import Fluent
import Foundation
import LanternCore
import Vapor

/// Checking and writing a data return, whichever way it comes: the counts form, a CSV of records,
/// or the API. Nothing is written while anything is wrong, and every problem is named.
enum DataReturnSubmission {
    struct Header: Sendable {
        var partner: PartnerOrganisation
        var start: Day
        var end: Day
        var sourceKind: String
        var note: String
    }

    /// The partner a person submits for: their own organisation, or (for the council's analysts)
    /// the one they chose.
    static func partner(for user: User, chosen: String, on db: any Database, _ errors: inout FormErrors) async throws -> PartnerOrganisation? {
        if let own = user.partnerID {
            guard let partner = try await PartnerOrganisation.find(own, on: db), partner.isActive else {
                errors.add("partner_id", "Your organisation is not an active partner: ask the council's administrator")
                return nil
            }
            return partner
        }
        guard user.can(.viewPartnerReturns) else {
            errors.add("partner_id", "Your account is not linked to a partner organisation: ask the council's administrator")
            return nil
        }
        guard let id = UUID(uuidString: chosen), let partner = try await PartnerOrganisation.find(id, on: db), partner.isActive else {
            errors.add("partner_id", "Choose the partner whose return this is")
            return nil
        }
        return partner
    }

    /// The period and source, checked: a return covers days that have passed, a year at most, and
    /// no live return of the same partner and source already covers any of them.
    static func header(_ values: [String: String], partner: PartnerOrganisation?, today: Day, on db: any Database,
                       _ errors: inout FormErrors) async throws -> Header? {
        let start = Day(parsing: values["period_start"] ?? ""), end = Day(parsing: values["period_end"] ?? "")
        if start == nil { errors.add("period_start", "Enter the first day the return covers, like 2023-04-01") }
        if end == nil { errors.add("period_end", "Enter the last day the return covers, like 2024-03-31") }
        if let start, let end {
            if end < start { errors.add("period_end", "The last day must be on or after the first") }
            else if today < end { errors.add("period_end", "A return covers days that have passed: the last day can be \(today.iso) at the latest") }
            else if start.adding(months: 12) < end { errors.add("period_end", "A return covers a year at most: split a longer period into years") }
        }
        let source = (values["source_kind"] ?? "").trimmingCharacters(in: .whitespaces)
        let sourceKind = source.isEmpty ? (partner?.kind.usualSource ?? "") : source
        if sourceKind.count > 80 { errors.add("source_kind", "The kind of source must be 80 characters or fewer") }
        let note = (values["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 2000 { errors.add("note", "The note must be 2000 characters or fewer") }
        guard let partner, let start, let end, errors.isEmpty else { return nil }
        let overlapping = try await DataReturn.query(on: db).filter(\.$partner.$id == partner.id!).filter(\.$withdrawnAt == nil)
            .filter(\.$sourceKind == sourceKind).filter(\.$periodStart <= end.iso).filter(\.$periodEnd >= start.iso).first()
        if let overlapping {
            errors.add("period_start", "\(partner.name) already has a return of \(sourceKind) figures for \(overlapping.period). Withdraw it first if this one replaces it, so nothing is counted twice")
            return nil
        }
        return Header(partner: partner, start: start, end: end, sourceKind: sourceKind, note: note)
    }

    /// A counts return's figures from the form: `<cut>_<key>` fields, nationalities as "Name: count" lines.
    static func counts(_ values: [String: String], areas: [String], _ errors: inout FormErrors) -> (total: Int, figures: [(String, String, Int)])? {
        func number(_ field: String, _ what: String) -> Int? {
            let raw = (values[field] ?? "").trimmingCharacters(in: .whitespaces)
            if raw.isEmpty { return 0 }
            guard let n = Int(raw), (0...1_000_000).contains(n) else {
                errors.add(field, "Enter \(what) as a whole number, or leave it empty for none"); return nil
            }
            return n
        }
        let rawTotal = (values["total"] ?? "").trimmingCharacters(in: .whitespaces)
        let total = Int(rawTotal)
        if total == nil || !(1...1_000_000).contains(total!) { errors.add("total", "Enter how many people or events the return covers, a whole number from 1") }
        var figures: [(String, String, Int)] = []
        var sums: [String: (Int, String)] = [:]
        func add(_ cut: PictureCut, _ key: String, field: String, label: String) {
            guard let n = number(field, "the number for \(label.lowercased())"), n > 0 else { return }
            figures.append((cut.rawValue, key, n))
            sums[cut.rawValue, default: (0, field)].0 += n
        }
        for c in ExploitationCategory.allCases { add(.type, c.rawValue, field: "type_\(c.rawValue)", label: c.label) }
        for a in [AgeGroup.child, .adult] { add(.age, a.rawValue, field: "age_\(a.rawValue)", label: a.label) }
        for g in [RecordedGender.female, .male] { add(.gender, g.rawValue, field: "gender_\(g.rawValue)", label: g.label) }
        for (i, area) in areas.enumerated() { add(.area, area, field: "area_\(i)", label: area) }
        for o in ReturnOutcome.allCases where o != .unknown { add(.outcome, o.rawValue, field: "outcome_\(o.rawValue)", label: o.label) }
        let lines = (values["nationalities"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var named = Set<String>()
        for (i, line) in lines.enumerated() {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let n = Int(parts[1]), n >= 0 else {
                errors.add("nationalities", "Line \(i + 1) of the nationalities, '\(line.prefix(60))', is not a name and a number, like British: 24"); continue
            }
            let name = ReturnValues.nationality(parts[0])
            guard name != "Unknown" else { continue }
            if name.count > 60 { errors.add("nationalities", "Line \(i + 1): a nationality must be 60 characters or fewer"); continue }
            guard named.insert(name).inserted else { errors.add("nationalities", "Line \(i + 1): \(name) is given twice"); continue }
            if n > 0 { figures.append((PictureCut.nationality.rawValue, name, n)); sums[PictureCut.nationality.rawValue, default: (0, "nationalities")].0 += n }
        }
        if let total {
            for (cut, (sum, field)) in sums.sorted(by: { $0.key < $1.key }) where sum > total {
                errors.add(field, "The \(PictureCut(rawValue: cut)!.title.lowercased()) figures add up to \(sum), more than the return's total of \(total)")
            }
        }
        guard errors.isEmpty, let total else { return nil }
        return (total, figures)
    }

    /// Writes a checked return in one transaction, with its audit row.
    static func write(_ header: Header, form: String, total: Int, records: [ReturnRecord], figures: [(String, String, Int)],
                      channel: String, req: Request) async throws -> DataReturn {
        let dataReturn = DataReturn()
        dataReturn.$partner.id = header.partner.id!
        dataReturn.periodStart = header.start.iso
        dataReturn.periodEnd = header.end.iso
        dataReturn.form = form
        dataReturn.sourceKind = header.sourceKind
        dataReturn.note = header.note
        dataReturn.total = total
        dataReturn.channel = channel
        dataReturn.submittedAt = req.lantern.now()
        dataReturn.submittedBy = req.currentUser?.id
        try await req.db.writeTransaction { db in
            try await dataReturn.create(on: db)
            for record in records { try await DataReturnRecord(record, returnID: dataReturn.id!).create(on: db) }
            for (dimension, category, count) in figures {
                let figure = DataReturnCount()
                figure.$dataReturn.id = dataReturn.id!
                figure.dimension = dimension; figure.category = category; figure.count = count
                try await figure.create(on: db)
            }
            try await req.audit(.create, .dataReturn, id: dataReturn.id!.uuidString,
                                detail: "\(header.partner.name): \(total) \(header.sourceKind), \(header.start.iso) to \(header.end.iso), \(channel)", on: db)
        }
        return dataReturn
    }
}
