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
        jobs.get(":jobID", "file", use: file)
    }

    struct Progress: Content {
        let status: String
        let done: Int
        let total: Int
        let percent: Int
        /// What the page says: how far it has got, or how it ended.
        let message: String
        let next: String?
        /// Where the file the job made is, while it is kept.
        let file: String?
        let fileName: String?
    }

    struct PageView: Encodable {
        let id: String
        let title: String
        let progress: Progress
        let running: Bool
        let failed: Bool
        /// The page goes on to `next` by itself when the job is done.
        let continues: Bool
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
        let hasFile = job.status == .done && job.output != nil
        return Progress(status: job.status.rawValue, done: job.progressDone, total: job.progressTotal, percent: percent, message: message,
                        next: job.status == .done ? job.nextPath : nil,
                        file: hasFile ? "/jobs/\(job.id!.uuidString)/file" : nil, fileName: hasFile ? job.outputName : nil)
    }

    func page(req: Request) async throws -> Response {
        let job = try await ownJob(req)
        let handler = req.application.jobs.handlers[job.kind]
        let view = PageView(id: job.id!.uuidString, title: handler?.title ?? "Work in progress", progress: Self.progress(of: job),
                            running: !job.status.finished, failed: job.status == .failed, continues: handler?.continuesOnItsOwn ?? false)
        return try await req.render("Jobs/job", view, title: view.title)
    }

    func progress(req: Request) async throws -> Progress {
        Self.progress(of: try await ownJob(req))
    }

    /// The file the job made, for its owner, while it is kept (a day).
    func file(req: Request) async throws -> Response {
        let job = try await ownJob(req)
        guard job.status == .done, let data = job.output else {
            throw LanternError(.notFound, "This file is no longer kept: files made by a job are kept for a day. Ask for it again.")
        }
        return req.download(data, type: job.outputType ?? "application/octet-stream", filename: job.outputName ?? "download", noStore: true)
    }
}
