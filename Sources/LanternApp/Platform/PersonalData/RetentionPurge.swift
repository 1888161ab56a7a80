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

    /// What has expired today, without changing anything: each retention class the registry
    /// has a root for, and the audit log, which is never purged here.
    static func plan(on db: any Database, today: Day, registry: PersonalDataRegistry) async throws -> [Line] {
        let schedule = try await RetentionPeriod.schedule(on: db)
        var lines: [Line] = []
        for type in RetainedRecord.allCases {
            let months = schedule[type] ?? type.defaultMonths
            let cutoffDay = RetentionRules.cutoff(months: months, today: today)
            if type == .auditLog {
                let count = try await AuditEntry.query(on: db).filter(\.$at < ReportPeriod.instant(cutoffDay)).count()
                let note = count == 0 ? "" : "The audit log is append-only and hash-chained: \(count) entries are past their period. Move them to an archive file with `lantern audit archive --before DAY --output FILE`, which keeps the chain verifiable; the purge never deletes them itself."
                lines.append(Line(type: type, label: type.label, months: months, cutoff: cutoffDay.long, action: "past their period", ids: [], note: note))
                continue
            }
            guard let root = registry.retention.first(where: { $0.record == type }) else { continue }
            // In a fixed order, so the same records give the same report on every database.
            let ids = try await root.expired(db, cutoffDay).sorted { $0.uuidString < $1.uuidString }
            lines.append(Line(type: type, label: type.label, months: months, cutoff: cutoffDay.long,
                              action: type.action == .anonymise ? "to anonymise" : "to delete", ids: ids, note: root.note))
        }
        return lines
    }

    @discardableResult
    static func run(_ app: Application, today: Day, dryRun: Bool, actor: AuditActor = .system) async throws -> Report {
        let registry = app.personalData
        let lines = try await plan(on: app.db, today: today, registry: registry)
        let report = Report(dryRun: dryRun, today: today.long, lines: lines)
        guard !dryRun else { return report }
        let cipher = app.lantern.cipher, lookup = KeyRing.lookup(app), now = app.lantern.now()
        try await app.db.writeTransaction { db in
            let context = ErasureContext(db: db, cipher: cipher, lookup: lookup, now: now, purpose: .retention)
            for line in lines where !line.ids.isEmpty {
                guard let root = registry.retention.first(where: { $0.record == line.type }) else { continue }
                _ = try await PersonalDataEraser(registry: registry).erase(root.table, ids: line.ids, in: context)
                try await root.finish?(db, line.ids)
            }
            // A tombstone per record: its id, type and the rule applied, in the audit log.
            for line in lines {
                let entity = registry.retention.first { $0.record == line.type }?.auditEntity ?? .retentionPurge
                for id in line.ids {
                    try await app.lantern.audit.append(on: db, actor: actor, action: .delete, entity: entity, entityID: id.uuidString,
                                                       requestID: nil, detail: "retention (\(line.type.rawValue)): kept \(line.months) months, \(line.type.action.rawValue)d", at: now)
                }
            }
            let summary = lines.map { "\($0.type.rawValue)=\($0.ids.count)" }.joined(separator: ", ")
            try await app.lantern.audit.append(on: db, actor: actor, action: .delete, entity: .retentionPurge, entityID: nil,
                                               requestID: nil, detail: summary, at: now)
        }
        for root in registry.retention { root.afterCommit?(app) }
        return report
    }
}
