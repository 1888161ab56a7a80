import Fluent
import Foundation

/// A record a case is opened from, such as a concern: what the form starts with, and what the
/// record does once the case exists. Cases owns opening a case (`CasesController.open`); the
/// record it came from only answers these, so Cases never reads it.
struct CaseOrigin: Sendable {
    /// Kept on the case (`concern_id`), to link back.
    let id: UUID
    /// Shown on the form and in the audit log: "MS-26-AB3KQ7".
    let reference: String
    /// Where the form posts, so the same origin is found again.
    let formAction: String
    /// Values the form starts with, by field name.
    let prefill: [String: String]
    /// The team the record was routed to, to hold the case.
    let teamName: String?
    /// Runs in the case's transaction, once it is created.
    let opened: @Sendable (any Database, SafeguardingCase) async throws -> Void
}
