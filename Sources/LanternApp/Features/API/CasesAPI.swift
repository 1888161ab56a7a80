import Fluent
import Foundation
import LanternAPI
import LanternCore
import Vapor

/// Cases over the API: read only, through the same need-to-know scope as the case list
/// (`NeedToKnow.CaseScope`), and every case read is audited before it is answered. Names,
/// contact details and the account of what happened are not offered: they stay in Lantern.
extension LanternAPIService {
    func listCases(_ input: Operations.ListCases.Input) async throws -> Operations.ListCases.Output {
        let req = try await request(requiring: .viewCases)
        let limit = try APIPage.limit(input.query.limit)
        let cursor = try APICursor.read(try checked(input.query.cursor, "cursor", max: 200))
        let query = NeedToKnow.cases(req, req.currentUser!)
        if let status = input.query.status { query.filter(\.$status == (CaseStatus(rawValue: status.rawValue) ?? .open)) }
        let rows = try await query.page(after: cursor, by: \.$reference, limit: limit).all()
        let (slice, next) = APICursor.split(rows, limit: limit) { ($0.reference, $0.id!) }
        let page = Array(slice)
        try await req.audit([AuditNote(.read, .caseList, detail: "API, \(page.count) rows")]
                            + page.map { AuditNote(.read, .case, id: $0.id?.uuidString, detail: "API list") })
        return .ok(.init(body: .json(.init(items: page.map(Self.caseSummary), nextCursor: next))))
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        let req = try await request(requiring: .viewCases)
        let caseID = try id(input.path.caseId)
        guard let found = try await SafeguardingCase.find(caseID, on: req.db) else { throw APIProblem.notFound }
        guard NeedToKnow.mayOpen(found, req.currentUser!) else {
            try await req.audit(.permissionRefused, .case, id: caseID.uuidString, outcome: .denied, detail: "need to know, API")
            // Not told apart from a missing case: the caller learns nothing of cases not theirs.
            throw APIProblem.notFound
        }
        try await req.audit(.read, .case, id: caseID.uuidString, detail: "API")
        return .ok(.init(body: .json(Self.caseSummary(found))))
    }

    static func caseSummary(_ c: SafeguardingCase) -> Components.Schemas.Case {
        .init(id: c.id!.uuidString, reference: c.reference, status: c.isOpen ? .open : .closed, openedAt: c.openedAt, closedAt: c.closedAt,
              ageCategory: c.age.rawValue, gender: c.gender.rawValue, nationality: c.nationality.isEmpty ? nil : c.nationality,
              exploitationTypes: c.types.map(\.rawValue), countyLines: c.countyLines, nextDeadline: c.nextDeadline,
              ownerId: c.$owner.id?.uuidString, teamId: c.$team.id?.uuidString)
    }
}
