import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("People, teams and organisation administration")
struct PeopleAdminTests {
    @Test(arguments: TestDatabase.available)
    func anInvitedPersonChoosesAPasswordAndSignsIn(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            try await admin.get("/admin/users/invite")
            let team = try #require(try await Team.query(on: env.db).filter(\.$name == "Procurement").first())
            let created = try await admin.post("/admin/users/invite", [
                "displayName": "Robin Hale", "email": "Robin.Hale@Example.gov.uk", "role": "contract_manager",
                "teamID": team.id!.uuidString, "jobTitle": "Category Manager",
            ])
            #expect(created.status == .ok)
            let html = created.body.string
            let link = try #require(html.range(of: "/invitations/").map { range -> String in
                let rest = html[range.lowerBound...]
                return String(rest[..<rest.firstIndex(of: "\"")!])
            })
            let user = try #require(try await User.query(on: env.db).filter(\.$email == "robin.hale@example.gov.uk").first())
            #expect(user.status == "Invited")
            #expect(user.invitationDigest != nil && !html.contains(user.invitationDigest!), "only the digest is stored")

            let newcomer = try env.browser()
            #expect(try await newcomer.get(link).status == .ok)
            let weak = try await newcomer.post(link, ["newPassword": "short", "confirmPassword": "short"])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.string.contains("12 characters or more"))
            let accepted = try await newcomer.post(link, ["newPassword": "granite lighthouse ferry", "confirmPassword": "granite lighthouse ferry"])
            #expect(accepted.location == "/sign-in")
            #expect(try await newcomer.get(link).status == .notFound, "an invitation works once")
            try await newcomer.get("/sign-in")
            let signedIn = try await newcomer.post("/sign-in", ["email": "robin.hale@example.gov.uk", "password": "granite lighthouse ferry"])
            #expect(signedIn.location == "/home")
            #expect(try await newcomer.get("/home").body.string.contains("Contract manager"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func invitationsExpireAfterSevenDays(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let created = try await admin.post("/admin/users/invite", ["displayName": "Late Comer", "email": "late@example.gov.uk", "role": "auditor", "teamID": ""])
            let html = created.body.string
            let start = try #require(html.range(of: "/invitations/"))
            let link = String(html[start.lowerBound...].prefix { $0 != "\"" })
            env.clock.advance(by: 7 * 24 * 3600 + 60)
            let expired = try await env.browser().get(link)
            #expect(expired.status == .notFound)
            #expect(expired.body.string.contains("This invitation link does not work"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aHalfFilledInviteKeepsWhatWasTypedAndEscapesIt(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let response = try await admin.post("/admin/users/invite", [
                "displayName": "<script>alert('x')</script>", "email": "not-an-email", "role": "", "teamID": "",
            ])
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("There is a problem"))
            #expect(html.contains("href=\"#email\""))
            #expect(html.contains("Enter an email address in the correct format"))
            #expect(html.contains("Select a role"))
            #expect(html.contains("value=\"not-an-email\""))
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func duplicateEmailsAreRefused(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let response = try await admin.post("/admin/users/invite", [
                "displayName": "Copy", "email": DemoData.email(for: .auditor).uppercased(), "role": "auditor",
            ])
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("already has an account"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func changingARoleEndsThePersonsSessionsAndTakesEffect(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            #expect(try await analyst.get("/training").status == .forbidden)

            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let user = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .partnershipAnalyst)).first())
            try await admin.get("/admin/users/\(user.id!.uuidString)")
            let saved = try await admin.post("/admin/users/\(user.id!.uuidString)/role", ["role": "training_manager", "teamID": ""])
            #expect(saved.status == .seeOther)
            let audit = try #require(try await AuditEntry.query(on: env.db).filter(\.$action == "role_change").first())
            #expect(audit.detail == "partnership_analyst->training_manager")

            #expect(try await analyst.get("/home").status == .seeOther, "the old session is gone")
            try await analyst.signIn(as: .partnershipAnalyst)
            #expect(try await analyst.get("/training").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func administratorsCannotDemoteOrDeactivateThemselves(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let me = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .administrator)).first())
            try await admin.get("/admin/users/\(me.id!.uuidString)")
            let demote = try await admin.post("/admin/users/\(me.id!.uuidString)/role", ["role": "auditor"])
            #expect(demote.status == .unprocessableEntity)
            let deactivate = try await admin.post("/admin/users/\(me.id!.uuidString)/deactivate", [:])
            #expect(deactivate.status == .unprocessableEntity)
            try await me.$team.load(on: env.db)
            #expect(try await User.find(me.id, on: env.db)?.role == .administrator)
        }
    }

    @Test(arguments: TestDatabase.available)
    func deactivationSignsThePersonOutAtOnce(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let worker = try env.browser()
            try await worker.signIn(as: .caseworker)
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let user = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .caseworker)).first())
            try await admin.get("/admin/users/\(user.id!.uuidString)")
            #expect(try await admin.post("/admin/users/\(user.id!.uuidString)/deactivate", [:]).status == .seeOther)
            #expect(try await worker.get("/home").status == .seeOther)
            #expect(try await worker.signIn(as: .caseworker).status == .unauthorized)
            #expect(try await admin.post("/admin/users/\(user.id!.uuidString)/reactivate", [:]).status == .seeOther)
            #expect(try await worker.signIn(as: .caseworker).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func teamsAreAddedRenamedAndKeptUnique(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            try await admin.get("/admin/teams")
            let duplicate = try await admin.post("/admin/teams", ["name": "Procurement"])
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.body.string.contains("There is already a team called Procurement"))
            let empty = try await admin.post("/admin/teams", ["name": "   "])
            #expect(empty.body.string.contains("Enter the team&#39;s name"))
            let team = try #require(try await Team.query(on: env.db).filter(\.$name == "Community Safety").first())
            #expect(try await admin.post("/admin/teams/\(team.id!.uuidString)/rename", ["name": "Community Safety Partnership"]).status == .seeOther)
            #expect(try await Team.find(team.id, on: env.db)?.name == "Community Safety Partnership")
        }
    }

    @Test(arguments: TestDatabase.available)
    func organisationSettingsFollowTheFirstResponderRule(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            try await admin.get("/admin/organisation")
            let refused = try await admin.post("/admin/organisation", [
                "name": "Marches Homes", "kind": "housing_association", "isFirstResponder": "yes",
                "financialYearEndDay": "31", "financialYearEndMonth": "3",
            ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("A housing association is not a First Responder"))
            #expect(refused.body.string.contains("value=\"Marches Homes\""))
            let badDate = try await admin.post("/admin/organisation", [
                "name": "Marches Homes", "kind": "housing_association", "isFirstResponder": "no",
                "financialYearEndDay": "31", "financialYearEndMonth": "2",
            ])
            #expect(badDate.body.string.contains("The day must be a real day of that month"))
            let saved = try await admin.post("/admin/organisation", [
                "name": "Marches Homes", "kind": "housing_association", "isFirstResponder": "no",
                "financialYearEndDay": "31", "financialYearEndMonth": "3",
            ])
            #expect(saved.status == .seeOther)
            let org = try #require(try await Organisation.current(on: env.db))
            #expect(org.name == "Marches Homes" && org.kind == .housingAssociation && !org.isFirstResponder)
            #expect(try await admin.get("/home").body.string.contains("Marches Homes"), "the header names the organisation")
        }
    }

    @Test(arguments: TestDatabase.available)
    func changingYourPasswordSignsOutYourOtherSessions(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let laptop = try env.browser()
            try await laptop.signIn(as: .trainingManager)
            let phone = try env.browser()
            try await phone.signIn(as: .trainingManager)
            try await laptop.get("/account/password")
            let wrong = try await laptop.post("/account/password", ["currentPassword": "nope", "newPassword": "river orchard lantern", "confirmPassword": "river orchard lantern"])
            #expect(wrong.body.string.contains("Your current password is not correct"))
            let changed = try await laptop.post("/account/password", ["currentPassword": testPassword, "newPassword": "river orchard lantern", "confirmPassword": "river orchard lantern"])
            #expect(changed.status == .seeOther)
            #expect(try await laptop.get("/home").status == .ok)
            #expect(try await phone.get("/home").status == .seeOther)
            #expect(try await phone.signIn(as: .trainingManager, password: "river orchard lantern").status == .seeOther)
        }
    }
}
