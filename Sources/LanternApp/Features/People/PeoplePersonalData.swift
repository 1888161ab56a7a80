import Fluent
import Foundation
import LanternCore

/// Staff accounts, for the registry (`PersonalDataRegistry`).
enum PeoplePersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: User.schema, subject: .staff, link: .itself, ownKey: false, clearPersonalColumns: ["display_name", "email"],
                          erasure: .keep("an account is deactivated, not erased, so the audit log still names who acted"), find: findAccounts),
    ]

    @Sendable static func findAccounts(_ q: PersonSearch.Query, _ context: PersonSearch.Context) async throws -> [PersonSearch.Found] {
        try await User.query(on: context.db).sort(\.$email).all().filter { q.matchingName(in: $0.displayName) != nil }.map { u in
            PersonSearch.Found(kind: "Staff account", id: u.id!.uuidString, title: "Account \(u.email)", date: u.createdAt.map { Day($0).iso } ?? "", match: "name",
                               lines: ["Name: \(u.displayName)", "Email: \(u.email)", "Role: \(u.role.displayName)", "Job title: \(u.jobTitle ?? "")",
                                       "Last signed in: \(u.lastSignInAt.map(DisplayDate.dateTime) ?? "never")", "Active: \(u.isActive ? "yes" : "no")"])
        }
    }
}
