import Fluent
import Foundation
import Vapor

/// A kind of job and what running it does. Each feature declares its own; `configure` hands
/// them to the runner. Running a job again from the start must do no harm (the instance that
/// ran it may have died at any point), so each handler first checks what is already done.
protocol JobHandler: Sendable {
    var kind: String { get }
    /// What the owner is told is happening, such as "Importing contracts".
    var title: String { get }
    /// Whether the page goes on to `next` by itself when the job is done (a check whose result
    /// is the next page), rather than waiting for the owner to choose.
    var continuesOnItsOwn: Bool { get }
    /// Does the work, reporting progress through `context`; returns a sentence for the owner
    /// and where they go next.
    func run(_ context: JobContext) async throws -> (result: String, next: String?)
}

extension JobHandler {
    var continuesOnItsOwn: Bool { false }
}

/// What a running job may use: the application, the job, and a way to say how far it has got.
struct JobContext: Sendable {
    let app: Application
    let job: Job
    let instance: String
    let stopping: @Sendable () -> Bool

    var db: any Database { app.db }

    /// Records progress; at each step the job may be stopped (the instance is shutting down), in
    /// which case it goes back to the queue and another instance starts it again.
    func progress(done: Int, total: Int) async throws {
        try await JobQueue.beat(job.id!, instance: instance, done: done, total: total, on: app.db, now: app.lantern.now())
        if stopping() { throw JobInterrupted() }
    }

    /// Who the job's audit rows name: the person who asked for it, as their request would have.
    func ownerActor() async throws -> AuditActor {
        guard let id = job.ownerID, let user = try await User.find(id, on: db) else { return .system }
        return AuditActor(id: id.uuidString, role: user.role.rawValue)
    }

    /// The one way a job writes to the audit log, as `Request.audit` is for a request: the row
    /// names `actor` and carries the job as its request id. `on` joins an open transaction.
    func audit(_ action: AuditAction, _ entity: AuditEntity, id entityID: String?, actor: AuditActor, detail: String,
               on db: (any Database)? = nil) async throws {
        try await app.lantern.audit.append(on: db ?? self.db, actor: actor, action: action, entity: entity, entityID: entityID,
                                           requestID: "job-" + job.id!.uuidString, detail: detail, at: app.lantern.now())
    }
}

/// Claims and runs jobs on this instance, one at a time, until the instance stops. On stop it
/// claims nothing more and lets the current job finish its step.
final class JobRunner: Sendable {
    let handlers: [String: any JobHandler]
    /// Names this instance in the jobs it claims.
    let instance: String
    private let state = NIOLockedValueBox<(stopping: Bool, loop: Task<Void, Never>?, declined: Set<UUID>)>((false, nil, []))

    init(_ handlers: [any JobHandler]) {
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.instance = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    var stopping: Bool { state.withLockedValue { $0.stopping } }

    /// Starts polling the queue (every second while idle).
    func start(_ app: Application) {
        let loop = Task { [self] in
            while !stopping {
                do {
                    if try await runNext(app) { continue }
                } catch {
                    app.logger.error("job queue: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        state.withLockedValue { $0.loop = loop }
    }

    /// Claims no more jobs and waits for the one in hand to reach the end of a step.
    func stop() async {
        let loop = state.withLockedValue { state -> Task<Void, Never>? in
            state.stopping = true
            return state.loop
        }
        await loop?.value
    }

    /// Claims one job and runs it. False when there was none.
    @discardableResult
    func runNext(_ app: Application) async throws -> Bool {
        let declined = state.withLockedValue { $0.declined }
        guard !stopping, let job = try await JobQueue.claim(instance: instance, declined: declined, on: app.db, now: app.lantern.now()) else { return false }
        await run(job, app)
        return true
    }

    /// Runs every job waiting, one after another: the command line and the tests use it.
    func drain(_ app: Application) async throws {
        while try await runNext(app) {}
    }

    private func run(_ job: Job, _ app: Application) async {
        let id = job.id!, db = app.db, instance = instance
        let now: @Sendable () -> Date = { app.lantern.now() }
        guard let handler = handlers[job.kind] else {
            try? await JobQueue.fail(id, instance: instance, error: "This kind of work is not known here.", on: db, now: now())
            return
        }
        guard job.attempts <= JobQueue.maximumAttempts else {
            try? await JobQueue.fail(id, instance: instance, error: "It stopped \(JobQueue.maximumAttempts) times before finishing, so it was given up. Ask for it again.",
                                     on: db, now: now())
            return
        }
        // The heartbeat continues while a step is long, so a live instance is never presumed dead.
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(JobQueue.staleAfter / 4))
                if Task.isCancelled { break }
                try? await JobQueue.beat(id, instance: instance, on: db, now: now())
            }
        }
        defer { heartbeat.cancel() }
        let context = JobContext(app: app, job: job, instance: instance, stopping: { [self] in stopping })
        do {
            let (result, next) = try await handler.run(context)
            try await JobQueue.finish(id, instance: instance, result: result, nextPath: next, on: db, now: now())
            app.logger.info("job done", metadata: ["kind": "\(job.kind)", "job": "\(id)"])
        } catch is JobInterrupted {
            try? await JobQueue.release(id, instance: instance, on: db)
        } catch is JobDeclined {
            state.withLockedValue { _ = $0.declined.insert(id) }
            try? await JobQueue.release(id, instance: instance, on: db)
        } catch is JobLost {
            app.logger.warning("job claimed by another instance", metadata: ["kind": "\(job.kind)", "job": "\(id)"])
        } catch {
            app.logger.error("job failed", metadata: ["kind": "\(job.kind)", "job": "\(id)", "error": "\(String(reflecting: error))"])
            let told = (error as? LanternError)?.reason ?? "Something went wrong, and nothing was changed. The administrator can find the details in the log."
            try? await JobQueue.fail(id, instance: instance, error: told, on: db, now: now())
        }
    }
}

extension Application {
    private struct JobRunnerKey: StorageKey { typealias Value = JobRunner }

    var jobs: JobRunner {
        get { storage[JobRunnerKey.self] ?? JobRunner([]) }
        set { storage[JobRunnerKey.self] = newValue }
    }
}

/// A graceful stop (SIGTERM): the server stops taking connections and finishes the requests in
/// flight, then the runner finishes its job's current step, and only then are the database
/// connections closed. Vapor would otherwise close the databases beside a request still running.
struct GracefulStop: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.server.shutdown()
        await application.jobs.stop()
    }
}
