import Fluent
import Foundation
import LanternCore
import SQLKit

struct CreatePrivacy: AsyncMigration {
    var name: String { "2026-11-24-create-privacy" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SubjectAccessRequest.schema).id()
            .field("reference", .string, .required).field("status", .string, .required).field("received_on", .string, .required)
            .field("identity_verified_on", .string).field("identity_method", .string).field("identity_verified_by", .uuid)
            .field("due_on", .string, .required).field("extended_due_on", .string).field("extension_reason", .string)
            .field("person_told_on", .string).field("sent_on", .string).field("created_at", .datetime, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .unique(on: "reference").create()
        try await database.schema(PrivacyRequest.schema).id()
            .field("reference", .string, .required).field("kind", .string, .required).field("received_on", .string, .required)
            .field("due_on", .string, .required).field("case_id", .uuid).field("decision", .string, .required)
            .field("decided_on", .string).field("decided_by", .uuid).field("carried_out_at", .datetime).field("created_at", .datetime, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .unique(on: "reference").create()
        try await database.schema(Disclosure.schema).id()
            .field("disclosed_on", .string, .required).field("lawful_basis", .string, .required).field("case_id", .uuid)
            .field("request_id", .uuid).field("recorded_by", .uuid).field("recorded_at", .datetime, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .create()
        try await database.schema(RetentionPeriod.schema).id()
            .field("record_type", .string, .required).field("months", .int, .required).field("changed_by", .uuid)
            .field("changed_at", .datetime, .required)
            .unique(on: "record_type").create()
        // One column per statement: SQLite alters a table one column at a time.
        try await database.schema(SafeguardingCase.schema).field("restricted_at", .datetime).update()
        try await database.schema(SafeguardingCase.schema).field("erased_at", .datetime).update()
        try await database.schema(Concern.schema).field("erased_at", .datetime).update()
        try await database.schema(CaseMarker.schema).field("review_requested_on", .string).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "subject_access_due_idx").on(SubjectAccessRequest.schema).column("status").column("due_on").run()
            try await sql.create(index: "disclosures_case_idx").on(Disclosure.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [SubjectAccessRequest.schema, PrivacyRequest.schema, Disclosure.schema, RetentionPeriod.schema] {
            try await database.schema(schema).delete()
        }
    }
}
