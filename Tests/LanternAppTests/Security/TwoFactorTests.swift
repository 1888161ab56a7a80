import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// Two-factor authentication (issue 22, item 2): enrolment with a first code, sign-in with a
/// code or a recovery code, no code accepted twice, wrong codes throttled with passwords, the
/// organisation's requirement for case-content roles, and the administrator's audited reset.
@Suite("Two-factor authentication")
struct TwoFactorTests {
    /// Sets up an authenticator for the signed-in browser's person, as they would from the
    /// page: returns the app's view of the secret and the recovery codes shown once.
    static func enrol(_ env: TestEnvironment, _ browser: Browser) async throws -> (OneTimePassword, [String]) {
        let start = try await browser.post("/account/two-factor/start", [:])
        #expect(start.location == "/account/two-factor/set-up")
        let page = try await browser.get("/account/two-factor/set-up")
        let shown = try #require(page.body.string.range(of: "id=\"secret\">").map { page.body.string[$0.upperBound...] }?.prefix(while: { $0 != "<" }))
        let totp = OneTimePassword(secret: try #require(Base32.decode(String(shown))))
        let wrong = try await browser.post("/account/two-factor/set-up", ["code": "000000" == totp.code(at: env.clock.now()) ? "111111" : "000000"])
        #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("The code is not correct"))
        let done = try await browser.post("/account/two-factor/set-up", ["code": totp.code(at: env.clock.now())])
        #expect(done.status == .ok && done.body.string.contains("Your recovery codes"))
        let codes = done.body.string.components(separatedBy: "<li><code>").dropFirst().map { String($0.prefix(11)) }
        #expect(codes.count == 10)
        return (totp, codes)
    }

    static func signInWithPassword(_ browser: Browser, as role: Role) async throws -> TestingHTTPResponse {
        try await browser.get("/sign-in")
        let response = try await browser.post("/sign-in", ["email": DemoData.email(for: role), "password": testPassword])
        // As a browser follows the redirect: the code page carries the new session's token.
        if let next = response.location { try await browser.get(next) }
        return response
    }

    @Test(arguments: TestDatabase.available)
    func aPersonWithTwoFactorNeedsTheirCodeAndNoCodeWorksTwice(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let setUp = try env.browser()
            try await setUp.signIn(as: .caseworker)
            let (totp, _) = try await Self.enrol(env, setUp)
            // The secret is sealed: neither its base32 form nor its bytes are stored in clear.
            let secret = Base32.encode(totp.secret)
            let everything = try await RawDatabase.allText(env)
            #expect(!everything.contains(secret) && !everything.lowercased().contains(secret.lowercased()))

            env.clock.advance(by: 60)
            let browser = try env.browser()
            let password = try await Self.signInWithPassword(browser, as: .caseworker)
            #expect(password.location == "/sign-in/two-factor")
            // The password alone opens nothing.
            let cases = try await browser.get("/cases")
            #expect(cases.status == .seeOther && cases.location?.hasPrefix("/sign-in") == true)
            let code = totp.code(at: env.clock.now())
            let signedIn = try await browser.post("/sign-in/two-factor", ["code": code])
            #expect(signedIn.location == "/home")
            #expect(try await browser.get("/cases").status == .ok)

            // The same code, within its 30 seconds, from another browser: refused.
            let other = try env.browser()
            _ = try await Self.signInWithPassword(other, as: .caseworker)
            let replay = try await other.post("/sign-in/two-factor", ["code": code])
            #expect(replay.status == .unauthorized && replay.body.string.contains("already been used"))
            env.clock.advance(by: 30)
            #expect(try await other.post("/sign-in/two-factor", ["code": totp.code(at: env.clock.now())]).location == "/home")
            let audited = try await AuditEntry.query(on: env.db).filter(\.$action == "sign_in").all().compactMap(\.detail)
            #expect(audited.filter { $0 == "second factor: authenticator" }.count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRecoveryCodeWorksOnceAndTheCodeStepExpires(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let setUp = try env.browser()
            try await setUp.signIn(as: .auditor)
            let (_, codes) = try await Self.enrol(env, setUp)
            // Only keyed hashes of the recovery codes are stored.
            let everything = try await RawDatabase.allText(env)
            #expect(!codes.contains { everything.contains($0) || everything.contains($0.replacingOccurrences(of: "-", with: "")) })

            let browser = try env.browser()
            _ = try await Self.signInWithPassword(browser, as: .auditor)
            let used = try await browser.post("/sign-in/two-factor", ["code": codes[3].uppercased()])
            #expect(used.location == "/home")
            #expect(try await browser.get("/home").body.string.contains("You have 9 left"))

            let again = try env.browser()
            _ = try await Self.signInWithPassword(again, as: .auditor)
            #expect(try await again.post("/sign-in/two-factor", ["code": codes[3]]).status == .unauthorized)
            // Five minutes after the password, the code step has lapsed.
            env.clock.advance(by: TwoFactorSignIn.pendingLifetime + 1)
            let late = try await again.post("/sign-in/two-factor", ["code": codes[4]])
            #expect(late.location == "/sign-in")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aKnownPasswordDoesNotResetTheThrottleOnGuessingCodes(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let setUp = try env.browser()
            try await setUp.signIn(as: .trainingManager)
            let (totp, _) = try await Self.enrol(env, setUp)
            let attacker = try env.browser()
            var statuses: [HTTPResponseStatus] = []
            for _ in 0..<4 {
                let password = try await Self.signInWithPassword(attacker, as: .trainingManager)
                if password.location == "/sign-in/two-factor" {
                    statuses.append(try await attacker.post("/sign-in/two-factor", ["code": totp.code(at: env.clock.now().addingTimeInterval(600))]).status)
                } else {
                    statuses.append(password.status)
                }
            }
            // Password and code attempts are counted together: the fifth attempt waits.
            #expect(statuses.last == .tooManyRequests, "\(statuses)")
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "sign_in").count() == 1, "only the setting-up sign-in")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOrganisationCanRequireItForCaseContentRoles(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            let organisation = try #require(try await Organisation.current(on: env.db))
            let saved = try await admin.post("/admin/organisation", ["name": organisation.name, "kind": organisation.kind.rawValue, "isFirstResponder": "yes",
                                                                      "financialYearEndDay": "31", "financialYearEndMonth": "3", "requireTwoFactor": "yes"])
            #expect(saved.status == .seeOther)
            #expect(try await AuditEntry.query(on: env.db).filter(\.$detail == "two-factor authentication required for case-content roles").count() == 1)
            env.app.lantern.organisation.forget()

            // A caseworker without it is kept to setting it up; a script is refused.
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let cases = try await caseworker.get("/cases")
            #expect(cases.status == .seeOther && cases.location == "/account/two-factor")
            #expect(try await caseworker.get("/cases", accept: "application/json").status == .forbidden)
            #expect(try await caseworker.get("/account/two-factor").body.string.contains("Your organisation requires two-factor authentication"))
            let (totp, _) = try await Self.enrol(env, caseworker)
            #expect(try await caseworker.get("/cases").status == .ok)
            // Required, so it cannot be turned off.
            env.clock.advance(by: 30)
            let off = try await caseworker.post("/account/two-factor/off", ["code": totp.code(at: env.clock.now())])
            #expect(off.status == .conflict)
            #expect(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .caseworker)).first()?.twoFactorAt != nil)

            // A role that sees no case content is not held up.
            let trainer = try env.browser()
            try await trainer.signIn(as: .trainingManager)
            #expect(try await trainer.get("/training").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAdministratorsResetOfACaseContentRoleWaitsForASecondPerson(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            _ = try await Self.enrol(env, caseworker)
            let trainer = try env.browser()
            try await trainer.signIn(as: .trainingManager)
            _ = try await Self.enrol(env, trainer)
            let people = try await User.query(on: env.db).all()
            let caseworkerID = try #require(people.first { $0.role == .caseworker }?.id)
            let trainerID = try #require(people.first { $0.role == .trainingManager }?.id)

            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            // A role without case content: reset at once, and signed out.
            try await admin.get("/admin/users/\(trainerID.uuidString)")
            #expect(try await admin.post("/admin/users/\(trainerID.uuidString)/two-factor/reset", [:]).status == .seeOther)
            #expect(try await User.find(trainerID, on: env.db)?.twoFactorAt == nil)
            #expect(try await TwoFactorCredential.query(on: env.db).filter(\.$userID == trainerID).count() == 0)
            #expect(try await trainer.get("/training").status == .seeOther)

            // A caseworker: nothing changes until a safeguarding lead approves.
            try await admin.get("/admin/users/\(caseworkerID.uuidString)")
            try await admin.post("/admin/users/\(caseworkerID.uuidString)/two-factor/reset", [:])
            #expect(try await User.find(caseworkerID, on: env.db)?.twoFactorAt != nil)
            #expect(try await caseworker.get("/cases").status == .ok)
            let request = try #require(try await RoleGrantRequest.pending(for: caseworkerID, kind: .twoFactorReset, on: env.db))
            // Neither the administrator nor the caseworker can approve it.
            #expect(try await admin.post("/role-requests/\(request.id!.uuidString)/approve", [:]).status == .forbidden)
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let list = try await lead.get("/role-requests")
            #expect(list.body.string.contains("Reset two-factor authentication"))
            #expect(try await lead.post("/role-requests/\(request.id!.uuidString)/approve", [:]).status == .seeOther)
            #expect(try await User.find(caseworkerID, on: env.db)?.twoFactorAt == nil)
            #expect(try await RecoveryCode.query(on: env.db).filter(\.$userID == caseworkerID).count() == 0)
            #expect(try await caseworker.get("/cases").status == .seeOther, "signed out by the reset")
            let details = try await AuditEntry.query(on: env.db).filter(\.$entityID == caseworkerID.uuidString).all().compactMap(\.detail)
            #expect(details.contains { $0.hasPrefix("two-factor reset requested") } && details.contains("two-factor reset approved"))
        }
    }
}
