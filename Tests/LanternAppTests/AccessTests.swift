import Fluent
import Foundation
import LanternCore
import Testing
import Vapor
import VaporTesting
@testable import LanternApp

@Suite("Every role against every page")
struct AccessTests {
    /// Every GET route tagged with a permission, with parameters filled by a random UUID.
    static func protectedPages(_ app: Application) -> [(path: String, permission: Permission?)] {
        app.routes.all.compactMap { route in
            guard route.method == .GET, route.userInfo[AnySendableHashable(RouteTag.signedIn)] != nil else { return nil }
            let path = "/" + route.path.map { component -> String in
                if case .parameter = component { return UUID().uuidString }
                return component.description
            }.joined(separator: "/")
            return (path, route.userInfo[AnySendableHashable(RouteTag.permission)] as? Permission)
        }
    }

    @Test(arguments: TestDatabase.available)
    func eachRoleReachesExactlyThePagesItsPermissionsAllow(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let pages = Self.protectedPages(env.app)
            #expect(pages.count >= 8, "the walk must cover the protected pages")
            for role in Role.allCases {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                for page in pages {
                    let response = try await browser.get(page.path)
                    let allowed = page.permission.map { PermissionMatrix.allows(role, $0) } ?? true
                    if allowed {
                        #expect(response.status != .forbidden, "\(role) should reach \(page.path)")
                        // A step with nothing to show yet sends its person back a step, not to sign in.
                        let sentBack = response.status == .seeOther && response.location?.hasPrefix("/sign-in") == false
                        #expect(response.status == .ok || response.status == .notFound || sentBack, "\(role) \(page.path): \(response.status)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) must be refused \(page.path)")
                        #expect(response.body.string.contains("You do not have permission"))
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func signedOutVisitorsAreSentToSignInAndAPIsGet401(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            for page in Self.protectedPages(env.app) {
                let response = try await browser.get(page.path)
                #expect(response.status == .seeOther, "\(page.path)")
                #expect(response.location?.hasPrefix("/sign-in?next=") == true)
                let json = try await browser.get(page.path, accept: "application/json")
                #expect(json.status == .unauthorized)
                #expect(json.body.string.contains("\"status\":401"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func refusalsAreAudited(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .partnershipAnalyst)
            #expect(try await browser.get("/admin/users").status == .forbidden)
            let refusal = try #require(try await AuditEntry.query(on: env.db).filter(\.$action == "permission_refused").first())
            #expect(refusal.outcome == "denied")
            #expect(refusal.actorRole == Role.partnershipAnalyst.rawValue)
            #expect(refusal.detail == Permission.manageUsers.rawValue)
        }
    }

    @Test(arguments: TestDatabase.available)
    func navigationOffersOnlyWhatTheRoleMayOpen(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            for role in Role.allCases {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                let home = try await browser.get("/home").body.string
                for item in NavigationItem.all {
                    let shown = home.contains("href=\"\(item.path)\"")
                    let allowed = item.permission.map { PermissionMatrix.allows(role, $0) } ?? true
                    #expect(shown == allowed, "\(role) nav \(item.path)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func formsWithoutTheCSRFTokenAreRefusedAndChangeNothing(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .administrator)
            try await browser.get("/admin/teams")
            let missing = try await browser.post("/admin/teams", ["name": "Forged Team"], csrf: .some(nil))
            #expect(missing.status == .forbidden)
            #expect(missing.body.string.contains("This form has expired"))
            let wrong = try await browser.post("/admin/teams", ["name": "Forged Team"], csrf: "not-the-token")
            #expect(wrong.status == .forbidden)
            #expect(try await Team.query(on: env.db).filter(\.$name == "Forged Team").count() == 0)
            let good = try await browser.post("/admin/teams", ["name": "Real Team"])
            #expect(good.status == .seeOther)
            #expect(try await Team.query(on: env.db).filter(\.$name == "Real Team").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func signInFormNeedsTheTokenToo(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.get("/sign-in")
            let response = try await browser.post("/sign-in", ["email": DemoData.email(for: .administrator), "password": testPassword], csrf: .some(nil))
            #expect(response.status == .forbidden)
        }
    }
}
