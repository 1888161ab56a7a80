import Fluent
import Foundation
import SQLKit
import StatementChecker

/// A procurement officer's verdict on one criterion of a check, which the page and the exports
/// show in place of Lantern's; Lantern's own verdict is kept beside it.
final class StatementReview: Model, @unchecked Sendable {
    static let schema = "statement_reviews"
    @ID(key: .id) var id: UUID?
    @Field(key: "check_id") var checkID: UUID
    @Field(key: "criterion_id") var criterionID: String
    @Field(key: "verdict") var verdict: StatementReport.Verdict
    @Field(key: "model_verdict") var modelVerdict: StatementReport.Verdict
    @Field(key: "note") var note: String
    @Field(key: "reviewed_by") var reviewedBy: UUID
    @Field(key: "reviewed_at") var reviewedAt: Date
    init() {}
}

/// A reviewer's word on one sentence for one criterion: it is evidence, or it is not. Kept as a
/// labelled sentence, so the model can be trained on the organisation's corrections.
final class StatementSentenceLabel: Model, @unchecked Sendable {
    static let schema = "statement_sentence_labels"
    @ID(key: .id) var id: UUID?
    @Field(key: "check_id") var checkID: UUID
    /// Position in the check's sentences, from 0.
    @Field(key: "sentence_index") var sentenceIndex: Int
    @Field(key: "sentence") var sentence: String
    @Field(key: "criterion_id") var criterionID: String
    @Field(key: "is_evidence") var isEvidence: Bool
    @Field(key: "labelled_by") var labelledBy: UUID
    @Field(key: "labelled_at") var labelledAt: Date
    init() {}
}

struct CreateStatementReviews: AsyncMigration {
    var name: String { "2026-12-07-create-statement-reviews" }
    func prepare(on database: any Database) async throws {
        try await database.schema(StatementReview.schema).id()
            .field("check_id", .uuid, .required, .references(StatementCheckRecord.schema, "id", onDelete: .cascade))
            .field("criterion_id", .string, .required).field("verdict", .string, .required).field("model_verdict", .string, .required)
            .field("note", .string, .required).field("reviewed_by", .uuid, .required).field("reviewed_at", .datetime, .required)
            .unique(on: "check_id", "criterion_id").create()
        try await database.schema(StatementSentenceLabel.schema).id()
            .field("check_id", .uuid, .required, .references(StatementCheckRecord.schema, "id", onDelete: .cascade))
            .field("sentence_index", .int, .required).field("sentence", .string, .required).field("criterion_id", .string, .required)
            .field("is_evidence", .bool, .required).field("labelled_by", .uuid, .required).field("labelled_at", .datetime, .required)
            .unique(on: "check_id", "sentence_index", "criterion_id").create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(StatementSentenceLabel.schema).delete()
        try await database.schema(StatementReview.schema).delete()
    }
}
