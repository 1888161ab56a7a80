import Fluent
import Foundation
import LanternCore

/// Staff training records, for the registry (`PersonalDataRegistry`). A person's completions go
/// with them (the database cascades the delete).
enum TrainingPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: StaffMember.schema, subject: .staff, link: .itself, ownKey: false,
                          clearPersonalColumns: ["staff_number", "name", "email"], retention: .trainingRecords, erasure: .delete, find: findStaff),
    ]

    static let retention = [
        RetentionRoot(record: .trainingRecords, table: StaffMember.schema, auditEntity: .staffMember) { db, cutoff in
            try await StaffMember.query(on: db).filter(\.$leftOn < cutoff.iso).field(\.$id).all().compactMap(\.id)
        },
    ]

    /// The staff training list (not sealed: names, job titles, completions).
    @Sendable static func findStaff(_ q: PersonSearch.Query, _ context: PersonSearch.Context) async throws -> [PersonSearch.Found] {
        var found: [PersonSearch.Found] = []
        for p in try await StaffMember.query(on: context.db).sort(\.$staffNumber).all() where q.matchingName(in: p.name) != nil {
            let done = try await TrainingCompletion.query(on: context.db).filter(\.$staff.$id == p.id!).with(\.$course).sort(\.$completedOn).all()
            found.append(PersonSearch.Found(kind: "Training record", id: p.id!.uuidString, title: "Staff number \(p.staffNumber)", date: p.startedOn ?? "",
                                            match: "name", lines: ["Name: \(p.name)", "Job title: \(p.jobTitle)", "Directorate: \(p.directorate)", "Email: \(p.email ?? "")"]
                                                + done.map { "Completed \($0.course.name) on \(PersonSearch.plain($0.completedOn)) (\($0.provider))" }))
        }
        return found
    }
}
