import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// An administrator sees no case content, and cannot reach it by inviting an account they
/// control with a role that does: a second person must approve (issue 17, item 3).
@Suite("Two people to give a case-content role")
struct RoleGrantTests {
    static func invite(_ admin: Browser, name: String, email: String, role: Role, team: String?, env: TestEnvironment) async throws -> String {
        let teamID = try await team.asyncFlatMap { try await Team.query(on: env.db).filter(\.$name == $0).first()?.id?.uuidString } ?? ""
        try await admin.get("/admin/users/invite")
        let created = try await admin.post("/admin/users/invite", ["displayName": name, "email": email, "role": role.rawValue, "teamID": teamID])
        let html = created.body.string
        return try #require(html.range(of: "/invitations/").map { range -> String in
            let rest = html[range.lowerBound...]
            return String(rest[..<rest.firstIndex(of: "\"")!])
        })
    }

    static func accept(_ link: String, email: String, env: TestEnvironment) async throws -> Browser {
        let person = try env.browser()
        try await person.get(link)
        try await person.post(link, ["newPassword": "granite lighthouse ferry", "confirmPassword": "granite lighthouse ferry"])
        try await person.get("/sign-in")
        #expect(try await person.post("/sign-in", ["email": email, "password": "granite lighthouse ferry"]).status == .seeOther)
        return person
    }

    @Test(arguments: TestDatabase.available)
    func anAccountTheAdministratorInvitesSeesNoCaseUntilALeadApproves(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let link = try await Self.invite(admin, name: "Mallory Moss", email: "mallory@example.gov.uk", role: .safeguardingLead, team: nil, env: env)
            let mallory = try await Self.accept(link, email: "mallory@example.gov.uk", env: env)
            // Signed in, but the role opens no case, concern or list of them.
            #expect(try await mallory.get("/cases").status == .forbidden)
            #expect(try await mallory.get("/concerns").status == .forbidden)
            let child = try #require(try await SafeguardingCase.query(on: env.db).filter(\.$age == .under18).first())
            #expect(try await mallory.get("/cases/\(child.id!.uuidString)").status == .forbidden)
            #expect(try await mallory.get("/role-requests").status == .forbidden, "a role awaiting approval cannot approve either")
            // The administrator cannot decide it.
            let request = try #require(try await RoleGrantRequest.query(on: env.db).filter(\.$outcome == nil).first())
            #expect(try await admin.get("/role-requests").status == .forbidden)
            #expect(try await admin.post("/role-requests/\(request.id!.uuidString)/approve", [:]).status == .forbidden)

            // A safeguarding lead sees the request and approves it; both steps are audited.
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let page = try await lead.get("/role-requests").body.string
            #expect(page.contains("Mallory Moss") && page.contains("Alex Morgan"))
            #expect(try await lead.post("/role-requests/\(request.id!.uuidString)/approve", [:]).status == .seeOther)
            let again = try env.browser()
            try await again.get("/sign-in")
            try await again.post("/sign-in", ["email": "mallory@example.gov.uk", "password": "granite lighthouse ferry"])
            #expect(try await again.get("/cases").status == .ok)
            let audited = try await AuditEntry.query(on: env.db).filter(\.$entityID == request.$user.id.uuidString).all().compactMap(\.detail)
            #expect(audited.contains { $0.hasPrefix("role request: safeguarding_lead") })
            #expect(audited.contains("role request approved: safeguarding_lead"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func raisingARoleWaitsForApprovalAndTheRightPersonDecides(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let trainer = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .trainingManager)).first())
            let team = try #require(try await Team.query(on: env.db).filter(\.$name == "Children's Social Care").first())
            try await admin.get("/admin/users/\(trainer.id!.uuidString)")
            let asked = try await admin.post("/admin/users/\(trainer.id!.uuidString)/role", ["role": "caseworker", "teamID": team.id!.uuidString])
            #expect(asked.status == .seeOther)
            let unchanged = try #require(try await User.find(trainer.id, on: env.db))
            #expect(unchanged.role == .trainingManager, "nothing changes before approval")
            #expect(try await admin.get("/admin/users/\(trainer.id!.uuidString)").body.string.contains("a safeguarding lead must approve it first"))

            // A request for the data protection officer role is the DPO's to decide, not a lead's.
            let auditor = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .auditor)).first())
            try await admin.get("/admin/users/\(auditor.id!.uuidString)")
            try await admin.post("/admin/users/\(auditor.id!.uuidString)/role", ["role": "data_protection_officer", "teamID": ""])
            let dpoRequest = try #require(try await RoleGrantRequest.pending(for: auditor.id!, on: env.db))
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            #expect(!(try await lead.get("/role-requests").body.string.contains("Taylor Brooks")))
            #expect(try await lead.post("/role-requests/\(dpoRequest.id!.uuidString)/approve", [:]).status == .forbidden)

            let request = try #require(try await RoleGrantRequest.pending(for: trainer.id!, on: env.db))
            #expect(try await lead.post("/role-requests/\(request.id!.uuidString)/refuse", [:]).status == .seeOther)
            #expect(try await User.find(trainer.id, on: env.db)?.role == .trainingManager)
            #expect(try await lead.post("/role-requests/\(request.id!.uuidString)/approve", [:]).status == .conflict, "a decided request stays decided")
        }
    }

    @Test func theRuleAsksForApprovalWhenContentIsGainedOrATeamChanges() {
        #expect(RoleGrantRule.needsApproval(from: nil, to: .caseworker, teamChanges: false))
        #expect(RoleGrantRule.needsApproval(from: .caseworker, to: .safeguardingLead, teamChanges: false))
        #expect(RoleGrantRule.needsApproval(from: .caseworker, to: .caseworker, teamChanges: true))
        #expect(!RoleGrantRule.needsApproval(from: .safeguardingLead, to: .caseworker, teamChanges: false))
        // The auditor reads the reasons sealed in the audit log, which can name people.
        #expect(RoleGrantRule.needsApproval(from: nil, to: .auditor, teamChanges: false))
        #expect(!RoleGrantRule.needsApproval(from: nil, to: .trainingManager, teamChanges: false))
        #expect(!RoleGrantRule.needsApproval(from: .auditor, to: .trainingManager, teamChanges: true))
        #expect(RoleGrantRule.approver(for: .dataProtectionOfficer) == .dataProtectionOfficer)
        #expect(RoleGrantRule.approver(for: .caseworker) == .safeguardingLead)
    }
}
