import Fluent
import Foundation
import LanternCore

/// A register's export too large to make inside a request (up to 100,000 contracts), as a job:
/// the file is made from the list's filters, as its owner may see the list, and offered on the
/// job's page for a day. Run again, it makes the same file again.
struct RegisterExportJob<R: Register>: JobHandler {
    /// Exports up to this many rows are made in the request that asks for them.
    static var inRequest: Int { 5_000 }
    static var kind: String { "export-" + R.path }
    var kind: String { Self.kind }
    var title: String { "Exporting \(R.path)" }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        let db = context.db, app = context.app
        // The list is exported as its owner may see it now, not as they could when they asked.
        guard let ownerID = context.job.ownerID, let user = try await User.find(ownerID, on: db), user.isActive, user.can(R.viewPermission) else {
            throw LanternError(.forbidden, "You no longer have access to this list, so nothing was exported.")
        }
        let items = URLComponents(string: "?" + context.job.subject)?.queryItems ?? []
        let query: (String) -> String = { name in
            (items.first { $0.name == name }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let file = try await R.exportFile(query: query, user: user, today: Day(app.lantern.now()), on: db)
        try await context.progress(done: file.rows.count, total: file.rows.count)
        let csv = Data(CSVFile.write(header: file.header, rows: file.rows).utf8)
        try await JobQueue.attach(csv, name: file.filename, type: "text/csv; charset=utf-8", to: context.job.id!, instance: context.instance, on: db)
        try await context.audit(.export, file.entity, id: nil, actor: try await context.ownerActor(), detail: "\(file.rows.count) rows")
        return ("\(file.rows.count.formatted()) rows are ready to download as \(file.filename). The file is kept for a day.", nil)
    }
}
