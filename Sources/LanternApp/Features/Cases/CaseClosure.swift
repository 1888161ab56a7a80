import Fluent
import Foundation
import Vapor

/// Why a case was closed, asked when it is closed and shown on the case afterwards, so whoever
/// reads a closed case knows whether the person was helped, moved on or could not be reached.
enum CaseClosureReason: String, CaseIterable, Codable, Sendable {
    case supportComplete = "support_complete"
    case declined
    case handedOver = "handed_over"
    case noContact = "no_contact"
    case notExploitation = "not_exploitation"

    var label: String {
        switch self {
        case .supportComplete: "Support was given and is no longer needed"
        case .declined: "The person declined further support"
        case .handedOver: "Handed over to another organisation or area"
        case .noContact: "The person could not be contacted"
        case .notExploitation: "Enquiries found no exploitation"
        }
    }
}

struct AddCaseClosureReason: AsyncMigration {
    var name: String { "2026-12-07-add-case-closure-reason" }
    func prepare(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).field("closed_reason", .string).update()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).deleteField("closed_reason").update()
    }
}
