import Crypto
import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Sign-in and sessions")
struct SignInTests {
    @Test(arguments: TestDatabase.available)
    func signingInLandsOnHomeAndAudits(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            let response = try await browser.signIn(as: .caseworker)
            #expect(response.status == .seeOther)
            #expect(response.location == "/home")
            let home = try await browser.get("/home")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("Priya Shah"))
            #expect(home.body.string.contains("Caseworker"))
            let cookie = response.headers[.setCookie].first ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "Secure is set only behind TLS")
            let signIns = try await AuditEntry.query(on: env.db).filter(\.$action == "sign_in").count()
            #expect(signIns == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrongPasswordAndUnknownEmailGetTheSameAnswer(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.get("/sign-in")
            let wrong = try await browser.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": "not the password"])
            let unknown = try await browser.post("/sign-in", ["email": "nobody@example.org", "password": "not the password"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.body.string.contains(SignInController.genericFailure))
            #expect(unknown.body.string.contains(SignInController.genericFailure))
            // The address typed is kept, the password is not.
            #expect(unknown.body.string.contains("value=\"nobody@example.org\""))
            #expect(!unknown.body.string.contains("not the password"))
            let failures = try await AuditEntry.query(on: env.db).filter(\.$action == "sign_in_failed").count()
            #expect(failures == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func repeatedFailuresAreThrottledEvenForTheRightPassword(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.get("/sign-in")
            for _ in 0..<5 {
                try await browser.post("/sign-in", ["email": DemoData.email(for: .administrator), "password": "guess-guess-guess"])
            }
            let throttled = try await browser.post("/sign-in", ["email": DemoData.email(for: .administrator), "password": testPassword])
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.body.string.contains("Too many failed attempts"))
            #expect(throttled.headers.first(name: .retryAfter) != nil)
            // Unknown addresses are throttled alike, so the throttle reveals nothing.
            for _ in 0..<5 { try await browser.post("/sign-in", ["email": "ghost@example.org", "password": "x"]) }
            let ghost = try await browser.post("/sign-in", ["email": "ghost@example.org", "password": "x"])
            #expect(ghost.status == .tooManyRequests)
            // After the wait, the right password works again.
            env.clock.advance(by: 16 * 60)
            let later = try await browser.post("/sign-in", ["email": DemoData.email(for: .administrator), "password": testPassword])
            #expect(later.status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func deactivatedPeopleCannotSignIn(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let user = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .trainingManager)).first())
            user.isActive = false
            try await user.save(on: env.db)
            let browser = try env.browser()
            let response = try await browser.signIn(as: .trainingManager)
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains(SignInController.genericFailure))
        }
    }

    @Test(arguments: TestDatabase.available)
    func signOutEndsTheSession(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            try await browser.get("/home")
            let out = try await browser.post("/sign-out", [:])
            #expect(out.status == .seeOther)
            let home = try await browser.get("/home")
            #expect(home.status == .seeOther)
            #expect(home.location?.hasPrefix("/sign-in") == true)
            #expect(try await StoredSession.query(on: env.db).filter(\.$userID != nil).count() == 0)
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "sign_out").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func sessionIDChangesAtSignInAndIsStoredOnlyAsADigest(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.get("/sign-in")
            #expect(browser.cookies["lantern-session"] == nil, "a visitor's page starts no session")
            // A session id planted before sign-in is never the one signed in.
            let before = SecretToken.generate()
            browser.cookies["lantern-session"] = before
            try await browser.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword])
            let after = try #require(browser.cookies["lantern-session"])
            #expect(before != after)
            let stored = try await StoredSession.query(on: env.db).all().map(\.idHash)
            #expect(!stored.contains(after))
            #expect(stored.contains(SecretToken.digest(after)))
            #expect(!stored.contains(SecretToken.digest(before)))
        }
    }

    @Test(arguments: TestDatabase.available)
    func idleSessionsExpireAfterThirtyMinutes(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .safeguardingLead)
            env.clock.advance(by: 29 * 60)
            #expect(try await browser.get("/home").status == .ok, "activity within 30 minutes keeps the session")
            env.clock.advance(by: 29 * 60)
            #expect(try await browser.get("/home").status == .ok, "the idle timer restarts on each request")
            env.clock.advance(by: 31 * 60)
            let expired = try await browser.get("/home")
            #expect(expired.status == .seeOther)
            #expect(expired.location?.contains("expired=1") == true)
            let page = try await browser.get(expired.location!)
            #expect(page.body.string.contains("30 minutes"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func sessionsEndAfterTenHoursWhateverTheActivity(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            for _ in 0..<22 {
                env.clock.advance(by: 28 * 60)
                _ = try await browser.get("/home")
            }
            #expect(try await browser.get("/home").status == .seeOther)
        }
    }

    @Test(arguments: ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/sign-in"])
    func signInNeverRedirectsOffSite(_ next: String) async throws {
        #expect(SafeRedirect.target(next) == "/home")
        #expect(SafeRedirect.target("/audit?page=2") == "/audit?page=2")
    }

    @Test(arguments: TestDatabase.available)
    func signInReturnsToThePageAskedFor(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            let bounce = try await browser.get("/audit")
            #expect(bounce.location == "/sign-in?next=/audit")
            try await browser.get("/sign-in?next=/audit")
            let response = try await browser.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword, "next": "/audit"])
            #expect(response.location == "/audit")
            let other = try env.browser()
            try await other.get("/sign-in")
            let evil = try await other.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword, "next": "//evil.example"])
            #expect(evil.location == "/home")
        }
    }
}

/// A visitor's pages write nothing: the sign-in form and the public report form carry a signed
/// token in a cookie, and a session row is written only at sign-in (issue 17, item 11).
@Suite("Anonymous pages write no rows")
struct AnonymousPagesTests {
    @Test(arguments: TestDatabase.available)
    func cookielessAndBogusCookieRequestsWriteNoSessionRows(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let before = try await StoredSession.query(on: env.db).count()
            for i in 0..<30 {
                let visitor = try env.browser()
                if i % 2 == 1 { visitor.cookies["lantern-session"] = SecretToken.generate() }
                #expect(try await visitor.get(i % 3 == 0 ? "/report" : "/sign-in").status == .ok)
            }
            #expect(try await StoredSession.query(on: env.db).count() == before, "anonymous pages wrote session rows")

            // The form still works: signed token in the page and the cookie, checked on post.
            let visitor = try env.browser()
            try await visitor.get("/sign-in")
            let token = try #require(visitor.csrf)
            #expect(visitor.cookies["lantern-form"] == token)
            let forged = try await visitor.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword],
                                                csrf: .some(String(token.dropLast(2)) + "xx"))
            #expect(forged.status == .forbidden)
            // A token without its cookie, or a cookie and token made without the server's key, fail too.
            let stranger = try env.browser()
            #expect(try await stranger.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword], csrf: .some(token)).status == .forbidden)
            let made = SignedFormToken.make(key: .init(size: .bits256))
            stranger.cookies["lantern-form"] = made
            #expect(try await stranger.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword], csrf: .some(made)).status == .forbidden)

            let signedIn = try await visitor.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword])
            #expect(signedIn.status == .seeOther)
            #expect(try await StoredSession.query(on: env.db).count() == before + 1)
        }
    }
}
