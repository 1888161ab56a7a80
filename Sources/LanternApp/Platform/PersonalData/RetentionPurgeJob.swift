import Fluent
import Foundation
import LanternCore

/// A purge asked for from the retention page, as a job: it walks every table of personal data,
/// so it does not run inside the administrator's request. Run twice, the second finds nothing.
struct RetentionPurgeJob: JobHandler {
    static let kind = "retention-purge"
    var kind: String { Self.kind }
    var title: String { "Purging what has passed its retention period" }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        guard let today = Day(parsing: context.job.subject) else { throw LanternError(.badRequest, "The job names no day.") }
        let report = try await RetentionPurge.run(context.app, today: today, dryRun: false, actor: try await context.ownerActor())
        return (report.text, nil)
    }
}
