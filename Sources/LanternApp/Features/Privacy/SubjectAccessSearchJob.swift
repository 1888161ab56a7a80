import Fluent
import Foundation
import LanternCore

/// The search for a person's records behind a subject access request, as a job: it walks every
/// table of personal data. Run again, it searches again and replaces what was found, which is
/// what the data protection officer would do by pressing the button twice.
struct SubjectAccessSearchJob: JobHandler {
    static let kind = "subject-access-search"
    var kind: String { Self.kind }
    var title: String { "Searching for the person's records" }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        let app = context.app, db = context.db, cipher = app.lantern.cipher
        guard let id = UUID(uuidString: context.job.subject), let s = try await SubjectAccessRequest.find(id, on: db) else {
            throw LanternError(.notFound, "The request is no longer here.")
        }
        var secrets = try s.open(with: cipher)
        let names = [secrets.name] + secrets.aliases.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let references = secrets.references.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        secrets.found = try await PersonSearch.run(.init(names: names, dateOfBirth: Day(parsing: secrets.dateOfBirth), references: references),
                                                   on: db, cipher: cipher, lookup: KeyRing.lookup(app), registry: app.personalData)
        secrets.searchedOn = Day(app.lantern.now()).iso
        secrets.excluded = []
        try s.seal(secrets, with: cipher)
        if s.status == .received { s.status = .review }
        let actor = try await context.ownerActor(), found = secrets.found.count
        try await db.writeTransaction { db in
            try await s.save(on: db)
            try await context.audit(.read, .personSearch, id: id.uuidString, actor: actor,
                                    detail: "\(found) records found for a subject access request", on: db)
        }
        return ("\(found) \(found == 1 ? "record" : "records") found. Review them before exporting the copy.", "/privacy/sar/\(id.uuidString)#found")
    }
}
