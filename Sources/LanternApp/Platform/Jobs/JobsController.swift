import Fluent
import Foundation
import Vapor

/// A job's page for the person who asked for it: a progress bar that the page's script
/// updates from `/jobs/:id/progress`, and that a refresh updates without the script.
struct JobsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let jobs = routes.signedIn().grouped("jobs")
        jobs.get(":jobID", use: page)
        jobs.get(":jobID", "progress", use: progress)
    }

    struct Progress: Content {
        let status: String
        let done: Int
        let total: Int
        let percent: Int
        /// What the page says: how far it has got, or how it ended.
        let message: String
        let next: String?
    }

    struct PageView: Encodable {
        let id: String
        let title: String
        let progress: Progress
        let running: Bool
        let failed: Bool
    }

    /// Only the person who asked for the work sees it; to anyone else it does not exist.
    private func ownJob(_ req: Request) async throws -> Job {
        guard let id = req.parameters.get("jobID").flatMap(UUID.init(uuidString:)), let job = try await Job.find(id, on: req.db),
              job.ownerID != nil, job.ownerID == req.currentUser?.id else { throw LanternError.notFound }
        return job
    }

    static func progress(of job: Job) -> Progress {
        let percent = job.progressTotal > 0 ? min(100, job.progressDone * 100 / job.progressTotal) : (job.status == .done ? 100 : 0)
        let message: String = switch job.status {
        case .queued: "Waiting to start."
        case .running: job.progressTotal > 0 ? "\(job.progressDone.formatted()) of \(job.progressTotal.formatted()) rows written (\(percent)%)." : "Started."
        case .done: job.result ?? "Done."
        case .failed: job.lastError ?? "It did not finish, and nothing was changed."
        }
        return Progress(status: job.status.rawValue, done: job.progressDone, total: job.progressTotal, percent: percent, message: message,
                        next: job.status == .done ? job.nextPath : nil)
    }

    func page(req: Request) async throws -> Response {
        let job = try await ownJob(req)
        let title = req.application.jobs.handlers[job.kind]?.title ?? "Work in progress"
        let view = PageView(id: job.id!.uuidString, title: title, progress: Self.progress(of: job),
                            running: !job.status.finished, failed: job.status == .failed)
        return try await req.render("Jobs/job", view, title: title)
    }

    func progress(req: Request) async throws -> Progress {
        Self.progress(of: try await ownJob(req))
    }
}
