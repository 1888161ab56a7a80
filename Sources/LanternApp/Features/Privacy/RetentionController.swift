import Fluent
import Foundation
import LanternCore
import Vapor

/// The retention schedule as data an administrator changes, a dry run that shows what would go,
/// and a purge that does exactly that (the same runs daily while Lantern serves, and from
/// `lantern purge`).
struct RetentionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.manageOrganisation).grouped("admin", "retention")
        group.get(use: show)
        group.post(use: save)
        group.post("preview", use: preview)
        group.post("purge", use: purge)
    }

    struct Row: Encodable { let key: String; let label: String; let from: String; let action: String; let months: String }
    struct View: Encodable { let rows: [Row]; let report: String?; let canPurge: Bool; let errors: FormErrors }

    private func show(_ req: Request, values: [String: String]? = nil, report: RetentionPurge.Report? = nil, errors: FormErrors = FormErrors()) async throws -> Response {
        let schedule = try await RetentionPeriod.schedule(on: req.db)
        let rows = RetainedRecord.allCases.map { t in
            Row(key: t.rawValue, label: t.label, from: t.from,
                action: t == .auditLog ? "Reported for archiving" : t.action == .anonymise ? "Anonymised (statistics kept)" : "Deleted",
                months: values?[t.rawValue] ?? String(schedule[t]!))
        }
        return try await req.render("Privacy/retention", View(rows: rows, report: report?.text, canPurge: report.map { $0.dryRun && $0.total > 0 } ?? false, errors: errors),
                                    title: "Retention schedule", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req) }

    func save(req: Request) async throws -> Response {
        let body = try req.form([String: String].self)
        var errors = FormErrors()
        var months: [RetainedRecord: Int] = [:]
        var values: [String: String] = [:]
        for t in RetainedRecord.allCases {
            let raw = FormText.trim(body[t.rawValue])
            values[t.rawValue] = raw
            if let m = Int(raw), (1...1200).contains(m) { months[t] = m }
            else { errors.add(t.rawValue, "Enter the months to keep \(t.label.lowercased()), a whole number from 1 to 1200") }
        }
        guard errors.isEmpty else { return try await show(req, values: values, errors: errors) }
        let existing = Dictionary(try await RetentionPeriod.query(on: req.db).all().map { ($0.recordType, $0) }, uniquingKeysWith: { a, _ in a })
        let by = req.currentUser?.id, now = req.lantern.now()
        let changes = try await req.db.writeTransaction { [months] db in
            var changes: [String] = []
            for (t, m) in months {
                let p = existing[t] ?? RetentionPeriod()
                if p.id != nil && p.months == m { continue }
                if p.id == nil && m == t.defaultMonths { continue }
                p.recordType = t; p.months = m; p.changedBy = by; p.changedAt = now
                try await p.save(on: db)
                changes.append("\(t.rawValue)=\(m)")
            }
            try await req.audit(.update, .retentionSchedule, detail: changes.isEmpty ? "no change" : changes.sorted().joined(separator: ", "), on: db)
            return changes
        }
        return req.redirect(to: "/admin/retention", saying: changes.isEmpty ? "No change to the schedule." : "Retention schedule saved.")
    }

    func preview(req: Request) async throws -> Response {
        let report = try await RetentionPurge.run(req.application, today: req.today, dryRun: true)
        try await req.audit(.read, .retentionPurge, detail: "dry run: \(report.total) records")
        return try await show(req, report: report)
    }

    /// The purge runs as a job; its page shows what it did.
    func purge(req: Request) async throws -> Response {
        let job = try await JobQueue.enqueue(kind: RetentionPurgeJob.kind, subject: req.today.iso, uniqueKey: "retention-purge:\(UUID().uuidString)",
                                             owner: req.currentUser?.id, nextPath: "/admin/retention", on: req.db, now: req.lantern.now())
        return req.redirect(to: "/jobs/\(job.id!.uuidString)")
    }
}
