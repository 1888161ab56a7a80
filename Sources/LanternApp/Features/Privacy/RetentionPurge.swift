import Fluent
import Foundation
import LanternCore
import Vapor

/// Deletes or anonymises what has passed its retention period, by the schedule an administrator
/// keeps (`RetentionPeriod`), and says exactly what it did. A dry run works out the same list
/// and changes nothing; a real run acts on that list, in one transaction.
/// Source: the privacy notice ("no longer than is necessary") and `shared/docs/domain/security.md`
/// §6 (preview before a purge; keep a trace of what went).
enum RetentionPurge {
    /// The hour (UK time) in which the serving process runs the daily purge.
    static let dailyHour = 2

    struct Line: Codable, Sendable {
        let type: RetainedRecord
        let label: String
        let months: Int
        let cutoff: String
        let action: String
        let ids: [UUID]
        let note: String
    }

    struct Report: Codable, Sendable {
        let dryRun: Bool
        let today: String
        let lines: [Line]
        var total: Int { lines.reduce(0) { $0 + $1.ids.count } }

        var text: String {
            var out = ["\(dryRun ? "Dry run: nothing changed." : "Purge done.") Retention as at \(today)."]
            for l in lines {
                out.append("- \(l.label) (kept \(l.months) months; before \(l.cutoff)): \(l.ids.count) \(l.action)\(l.note.isEmpty ? "" : ". \(l.note)")")
            }
            return out.joined(separator: "\n")
        }
    }

    /// What has expired today, without changing anything.
    static func plan(on db: any Database, today: Day) async throws -> [Line] {
        let schedule = try await RetentionPeriod.schedule(on: db)
        var lines: [Line] = []
        for type in RetainedRecord.allCases {
            let months = schedule[type]!
            let cutoffDay = RetentionRules.cutoff(months: months, today: today)
            let cutoff = ReportPeriod.instant(cutoffDay)
            var ids: [UUID] = []
            var note = ""
            var action = type.action == .anonymise ? "to anonymise" : "to delete"
            switch type {
            case .closedCases:
                ids = try await SafeguardingCase.query(on: db).filter(\.$status == "closed").filter(\.$closedAt < cutoff)
                    .filter(\.$erasedAt == nil).field(\.$id).all().compactMap(\.id)
            case .concernsNoFurtherAction:
                ids = try await Concern.query(on: db).filter(\.$status == .closed).filter(\.$triageOutcome == .noFurtherAction)
                    .filter(\.$updatedAt < cutoff).filter(\.$erasedAt == nil).field(\.$id).all().compactMap(\.id)
            case .anonymousReports:
                let candidates = try await Concern.query(on: db).filter(\.$status == .closed).filter(\.$receiptHash != nil)
                    .filter(\.$updatedAt < cutoff).filter(\.$erasedAt == nil).field(\.$id).all().compactMap(\.id)
                let named = candidates.isEmpty ? [] : Set(try await ConcernReporter.query(on: db).filter(\.$concern.$id ~~ candidates)
                    .field(\.$id).field(\.$concern.$id).all().map { $0.$concern.id })
                ids = candidates.filter { !named.contains($0) }
            case .supplierRecords:
                // Suppliers whose every contract ended before the cutoff, with none still active
                // and no concern about them (a concern keeps its supplier for its own period).
                let contracts = Dictionary(grouping: try await Contract.query(on: db).field(\.$id).field(\.$supplier.$id).field(\.$status)
                    .field(\.$endDate).all(), by: { $0.$supplier.id })
                let concerned = Set(try await Concern.query(on: db).filter(\.$supplierID != nil).field(\.$id).field(\.$supplierID).all().compactMap(\.supplierID))
                for s in try await Supplier.query(on: db).field(\.$id).all() where !concerned.contains(s.id!) {
                    let mine = contracts[s.id!] ?? []
                    guard !mine.isEmpty, mine.allSatisfy({ $0.status != "active" && ($0.endDate ?? "9999") < cutoffDay.iso }) else { continue }
                    ids.append(s.id!)
                }
                note = "Suppliers with no contracts are kept until one is recorded."
            case .trainingRecords:
                ids = try await StaffMember.query(on: db).filter(\.$leftOn < cutoffDay.iso).field(\.$id).all().compactMap(\.id)
            case .auditLog:
                let count = try await AuditEntry.query(on: db).filter(\.$at < cutoff).count()
                action = "past their period"
                note = count == 0 ? "" : "The audit log is append-only and hash-chained: \(count) entries are past their period. Move them to an archive file with `lantern audit archive --before DAY --output FILE`, which keeps the chain verifiable; the purge never deletes them itself."
                lines.append(Line(type: type, label: type.label, months: months, cutoff: cutoffDay.long, action: action, ids: [], note: note))
                continue
            }
            // In a fixed order, so the same records give the same report on every database.
            ids.sort { $0.uuidString < $1.uuidString }
            lines.append(Line(type: type, label: type.label, months: months, cutoff: cutoffDay.long, action: action, ids: ids, note: note))
        }
        return lines
    }

    @discardableResult
    static func run(_ app: Application, today: Day, dryRun: Bool, actor: AuditActor = .system) async throws -> Report {
        let lines = try await plan(on: app.db, today: today)
        let report = Report(dryRun: dryRun, today: today.long, lines: lines)
        guard !dryRun else { return report }
        let cipher = app.lantern.cipher, now = app.lantern.now()
        try await app.db.writeTransaction { db in
            for line in lines where !line.ids.isEmpty {
                switch line.type {
                case .closedCases:
                    for c in try await SafeguardingCase.query(on: db).filter(\.$id ~~ line.ids).all() {
                        _ = try await PersonErasure.eraseCase(c, on: db, cipher: cipher, now: now)
                    }
                case .concernsNoFurtherAction, .anonymousReports:
                    for c in try await Concern.query(on: db).filter(\.$id ~~ line.ids).all() {
                        _ = try await PersonErasure.eraseConcern(c, on: db, cipher: cipher, now: now, keepReporter: false)
                    }
                case .supplierRecords:
                    try await Contract.query(on: db).filter(\.$supplier.$id ~~ line.ids).delete()
                    try await Supplier.query(on: db).filter(\.$id ~~ line.ids).delete()
                case .trainingRecords:
                    try await StaffMember.query(on: db).filter(\.$id ~~ line.ids).delete()
                case .auditLog:
                    break
                }
            }
            // A tombstone per record: its id, type and the rule applied, in the audit log.
            for line in lines {
                for id in line.ids {
                    try await app.lantern.audit.append(on: db, actor: actor, action: .delete, entityType: line.type.rawValue, entityID: id.uuidString,
                                                       requestID: nil, detail: "retention: kept \(line.months) months, \(line.type.action.rawValue)d", at: now)
                }
            }
            let summary = lines.map { "\($0.type.rawValue)=\($0.ids.count)" }.joined(separator: ", ")
            try await app.lantern.audit.append(on: db, actor: actor, action: .delete, entityType: "RetentionPurge", entityID: nil,
                                               requestID: nil, detail: summary, at: now)
        }
        app.procurementFigures.invalidate()
        return report
    }
}
