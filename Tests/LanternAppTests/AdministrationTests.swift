import Fluent
import Foundation
import LanternCore
import Testing
@testable import LanternApp

@Suite("Command-line administration")
struct AdministrationTests {
    @Test(arguments: TestDatabase.available)
    func theFirstAdministratorIsCreatedAndAudited(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            try await Administration.createUser(on: env.app, email: "First.Admin@Council.gov.uk", name: "First Admin",
                                                role: .administrator, password: "harbour willow compass")
            let user = try #require(try await User.query(on: env.db).filter(\.$email == "first.admin@council.gov.uk").first())
            #expect(user.role == .administrator && user.isActive && user.passwordHash != nil)
            let row = try #require(try await AuditEntry.query(on: env.db).filter(\.$entityID == user.id!.uuidString).first())
            #expect(row.actorID == "system")
            #expect(try await env.browser().post("/sign-in", ["email": "first.admin@council.gov.uk", "password": "harbour willow compass"]).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputIsRefusedWithEveryReason(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            do {
                try await Administration.createUser(on: env.app, email: "not-an-email", name: " ", role: .auditor, password: "short")
                Issue.record("expected a refusal")
            } catch let problem as Administration.Problem {
                let text = problem.description
                #expect(text.contains("email address is not in a correct format"))
                #expect(text.contains("name is empty"))
                #expect(text.contains("12 characters or more"))
            }
            await #expect(throws: Administration.Problem.self) {
                try await Administration.createUser(on: env.app, email: DemoData.email(for: .auditor), name: "Again",
                                                    role: .auditor, password: "harbour willow compass")
            }
        }
    }

    @Test func databaseURLsSelectTheEngine() throws {
        #expect(try LanternConfiguration.database(url: nil, dataDirectory: "d") == .sqliteFile(path: "d/lantern.sqlite"))
        #expect(try LanternConfiguration.database(url: "postgres://u@h/db", dataDirectory: "d") == .postgres(url: "postgres://u@h/db"))
        #expect(try LanternConfiguration.database(url: "sqlite:///tmp/x.sqlite", dataDirectory: "d") == .sqliteFile(path: "/tmp/x.sqlite"))
        #expect(throws: ConfigurationProblem.self) { try LanternConfiguration.database(url: "mysql://h/db", dataDirectory: "d") }
    }
}
