import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import LanternApp

/// Every form, posted with every field missing and then with junk in every field, answers
/// with a page or a refusal, never a 500 (issue 18, item 4).
@Suite("Forms never trap")
struct FormRobustnessTests {
    /// The table whose first row fills each kind of path parameter.
    static let parameterTables: [String: String] = [
        "sarID": SubjectAccessRequest.schema, "concernID": Concern.schema, "caseID": SafeguardingCase.schema, "userID": User.schema,
        "requestID": PrivacyRequest.schema, "contractID": Contract.schema, "supplierID": Supplier.schema, "batchID": ImportBatch.schema,
        "actionID": PlanAction.schema, "staffID": StaffMember.schema, "recommendationID": AuditRecommendation.schema,
        "markerID": CaseMarker.schema, "fileID": EvidenceFile.schema, "courseID": TrainingCourse.schema, "teamID": Team.schema,
        "taskID": CaseTask.schema, "snapshotID": ReportSnapshot.schema, "riskID": ContractRisk.schema, "requirementID": TrainingRequirement.schema,
        "notificationID": HomeOfficeReferral.schema, "contactID": SupplierContact.schema, "consentID": CaseConsent.schema, "checkID": StatementCheckRecord.schema,
    ]

    static let junk = ["", " ", "\u{0}", "-1", "99999999999999999999", "9999-99-99", "<script>x</script>", String(repeating: "é", count: 5000), "[]", "on"]

    @Test(arguments: TestDatabase.available)
    func aNullInAMultipartTextFieldIsDroppedAndTheFileKeepsItsBytes(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let reporter = try env.browser()
            try await reporter.get("/report")
            var fields = Dictionary(ConcernsTests.publicReport, uniquingKeysWith: { a, _ in a })
            fields["description"] = "He works there\u{0} every school day and never leaves the site."
            let pdf = Data("%PDF-1.4\n\u{0}\u{0}binary".utf8)
            let concern = try await env.created(Concern.self) {
                let sent = try await reporter.postFile("/report", fields: fields, fileField: "files[]", filename: "rota.pdf", contents: pdf)
                #expect(sent.status == .ok, "\(sent.status)")
            }
            #expect(try concern.open(with: env.app.lantern.cipher).description == "He works there every school day and never leaves the site.")
            let file = try #require(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == concern.id!).first())
            #expect(try await EvidenceChunk.readAll(file, cipher: env.app.lantern.cipher, on: env.db) == pdf)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFieldThatCannotBeReadIsNamedInA400(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            // A file sent as plain text where the form expects an upload.
            let response = try await officer.post("/suppliers/import", ["file": "not a file"])
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("the field \u{201C}file\u{201D}"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyFormAnswersWithoutTrappingWhenFieldsAreMissingOrJunk(_ database: TestDatabase) async throws {
        try await withLantern(database, maxBodySize: 4 << 20) { env in
            // Ids of real records, so each post reaches its form handling rather than a 404.
            var ids: [String: String] = [:]
            for (parameter, table) in Self.parameterTables {
                if let row = try await env.sql.select().column("id").from(table).limit(1).first() {
                    ids[parameter] = try row.decode(column: "id", as: UUID.self).uuidString
                }
            }
            ids["year"] = String(FinancialYear.containing(env.clock.now()).endYear)
            func path(_ route: Route) -> String {
                "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return ids[name] ?? UUID().uuidString }
                    return component.description
                }.joined(separator: "/")
            }
            func role(for route: Route) -> Role {
                let permission = route.userInfo[AnySendableHashable(RouteTag.permission)] as? Permission
                return Role.allCases.first { r in permission.map { PermissionMatrix.allows(r, $0) } ?? true } ?? .administrator
            }
            var browsers: [Role: Browser] = [:]
            for role in Role.allCases {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                browsers[role] = browser
            }
            // Every field name any page offers, harvested from each page as a role that may open it.
            var names = Set<String>()
            for route in env.app.routes.all where route.method == .GET && !route.path.contains(where: { $0.description.hasSuffix(".csv") || $0.description.hasSuffix(".pdf") || $0.description.hasSuffix(".json") }) {
                let signedIn = route.userInfo[AnySendableHashable(RouteTag.signedIn)] != nil
                let html = try await (signedIn ? browsers[role(for: route)]! : try env.browser()).get(path(route)).body.string
                var rest = html[...]
                while let r = rest.range(of: " name=\"") {
                    let value = rest[r.upperBound...].prefix { $0 != "\"" }
                    if !value.isEmpty && value != "_csrf" { names.insert(String(value)) }
                    rest = rest[r.upperBound...]
                }
            }
            #expect(names.count > 50, "too few field names harvested: \(names.count)")

            var posted = 0
            var traps: [String] = []
            var reached = 0
            var refusedEarly: [String] = []
            for route in env.app.routes.all where route.method == .POST {
                let path = path(route), role = role(for: route)
                guard !path.hasPrefix("/sign-out"), !path.contains("/leave") else { continue }
                let signedIn = route.userInfo[AnySendableHashable(RouteTag.signedIn)] != nil
                let browser = signedIn ? browsers[role]! : try env.browser()
                let sorted = names.sorted()
                var bodies: [[(String, String)]] = [[]]
                for value in Self.junk { bodies.append(sorted.map { ($0, value) }) }
                for index in bodies.indices {
                    try await browser.get(signedIn ? "/home" : "/report")
                    let response = try await browser.postPairs(path, bodies[index])
                    posted += 1
                    let code = response.status.code
                    if code == 422 || code == 303 || code == 200 { reached += 1 } else { refusedEarly.append("\(path): \(code)") }
                    if code == 500 { traps.append("\(path) (\(index == 0 ? "every field missing" : "junk \(index)"))") }
                }
            }
            #expect(posted > 100)
            // Most posts reach their forms' checks rather than stopping at a missing record.
            print("forms: \(posted) posts, \(reached) reached their checks, \(traps.count) answered 500 (\(env.database))")
            let enough = reached > posted / 5
            #expect(enough, "most posts stopped before their form: \(refusedEarly.prefix(40).joined(separator: "; "))")
            #expect(traps.isEmpty, "answered 500: \(traps.joined(separator: "; "))")
        }
    }
}
