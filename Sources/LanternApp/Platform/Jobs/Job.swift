import Fluent
import Foundation

/// Work that runs outside a web request, on whichever instance claims it first: an import's
/// confirmation, the daily retention purge. A job names what it works on (`subject`), never
/// holds personal data itself, and may be run again from the start: every handler is idempotent.
final class Job: Model, @unchecked Sendable {
    static let schema = "jobs"

    @ID(key: .id) var id: UUID?
    /// Which handler runs it (`JobHandler.kind`).
    @Field(key: "kind") var kind: String
    /// What it works on: an import batch's id, a day.
    @Field(key: "subject") var subject: String
    /// Choices made when it was asked for (merge duplicates or skip them).
    @OptionalField(key: "options") var options: String?
    /// One job per key at most: asking twice for the same work finds the first.
    @Field(key: "unique_key") var uniqueKey: String
    /// Who asked for it: only they see its page. Nil for scheduled work.
    @OptionalField(key: "owner_id") var ownerID: UUID?
    @Field(key: "status") var status: JobStatus
    @Field(key: "progress_done") var progressDone: Int
    @Field(key: "progress_total") var progressTotal: Int
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// What it did, in a sentence for its owner.
    @OptionalField(key: "result") var result: String?
    /// Where its owner goes next when it is done.
    @OptionalField(key: "next_path") var nextPath: String?
    /// The instance running it, and when that instance last said it was alive.
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "heartbeat_at") var heartbeatAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// A file the job made for its owner (an export), kept for a day.
    @OptionalField(key: "output") var output: Data?
    @OptionalField(key: "output_name") var outputName: String?
    @OptionalField(key: "output_type") var outputType: String?

    init() {}

    init(kind: String, subject: String, options: String?, uniqueKey: String, ownerID: UUID?, nextPath: String?, at: Date) {
        self.kind = kind
        self.subject = subject
        self.options = options
        self.uniqueKey = uniqueKey
        self.ownerID = ownerID
        self.nextPath = nextPath
        self.status = .queued
        self.progressDone = 0
        self.progressTotal = 0
        self.attempts = 0
        self.createdAt = at
    }
}

enum JobStatus: String, Codable, CaseIterable, Sendable {
    case queued, running, done, failed

    var finished: Bool { self == .done || self == .failed }
}

struct CreateJobs: AsyncMigration {
    var name: String { "2026-12-06-create-jobs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Job.schema)
            .id()
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("options", .string)
            .field("unique_key", .string, .required)
            .field("owner_id", .uuid)
            .field("status", .string, .required)
            .field("progress_done", .int, .required)
            .field("progress_total", .int, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("result", .string)
            .field("next_path", .string)
            .field("claimed_by", .string)
            .field("heartbeat_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("output", .data)
            .field("output_name", .string)
            .field("output_type", .string)
            .unique(on: "unique_key")
            .create()
        try await (database as! any SQLDatabase).create(index: "jobs_claim_idx").on(Job.schema).column("status").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Job.schema).delete()
    }
}
