import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// The sign-in throttle under concurrency, and an account nobody can lock out (issue 17, item 2).
@Suite("Sign-in throttle")
struct SignInRaceTests {
    @Test(arguments: TestDatabase.available)
    func fortyConcurrentGuessesEvaluateNoMoreThanTheThrottleAllows(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let email = DemoData.email(for: .safeguardingLead)
            // Each guesser has a page (and so a form token) of its own, as separate browsers would.
            var guessers: [Browser] = []
            for _ in 0..<40 {
                let b = try env.browser()
                try await b.get("/sign-in")
                guessers.append(b)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (i, b) in guessers.enumerated() {
                    group.addTask { try await b.post("/sign-in", ["email": email, "password": "wrong-\(i)"]).status }
                }
                var all: [HTTPStatus] = []
                for try await s in group { all.append(s) }
                return all
            }
            let evaluated = try await AuditEntry.query(on: env.db).filter(\.$action ~~ ["sign_in_failed", "sign_in"]).count()
            let throttled = statuses.filter { $0 == .tooManyRequests }.count
            let free = env.app.lantern.configuration.signInThrottle.freeAttempts
            print("sign-in race on \(database): \(evaluated) of 40 concurrent guesses evaluated, \(throttled) refused")
            #expect(evaluated <= free, "\(evaluated) guesses were evaluated; at most \(free) may be")
            #expect(throttled >= 40 - free)
            // The right password, straight after, is not evaluated either: the address must wait.
            let right = try await guessers[0].post("/sign-in", ["email": email, "password": testPassword])
            #expect(right.status == .tooManyRequests)
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "sign_in").count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func guessesFromOneAddressDoNotLockTheHolderOutElsewhere(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let configuration = env.app.lantern.configuration
            let keys = KeyRing.lookup(env.app)
            let email = DemoData.email(for: .safeguardingLead)
            let attacker = SignInGate(email: email, address: "203.0.113.9", keys: keys)
            let holder = SignInGate(email: email, address: "198.51.100.20", keys: keys)
            func admit(_ gate: SignInGate) async throws -> SignInGate.Decision {
                try await gate.admit(on: env.db, pair: configuration.signInThrottle, account: configuration.accountSignInThrottle, now: env.clock.now())
            }
            for _ in 0..<configuration.signInThrottle.freeAttempts { guard case .evaluate = try await admit(attacker) else { Issue.record("refused early"); return } }
            guard case .wait = try await admit(attacker) else { Issue.record("the attacker's address was not slowed"); return }
            guard case .evaluate = try await admit(holder) else { Issue.record("the holder was locked out from their own address"); return }
            // Stored failures are keyed HMACs, not a digest anyone could compute from the address.
            let stored = Set(try await SignInFailure.query(on: env.db).all().map(\.keyDigest))
            #expect(!stored.contains(SecretToken.digest("email:" + email)))
            #expect(stored.contains(attacker.accountKey) && stored.contains(attacker.pairKey))
            // The account-wide ceiling slows, a minute at most, and never locks.
            #expect(configuration.accountSignInThrottle.maximumDelay <= 60)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theHolderIsToldHowManyAttemptsFailed(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.get("/sign-in")
            for _ in 0..<3 {
                _ = try await browser.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": "not it"])
            }
            try await browser.post("/sign-in", ["email": DemoData.email(for: .auditor), "password": testPassword])
            let home = try await browser.get("/home").body.string
            #expect(home.contains("There were 3 failed attempts to sign in to your account since you last signed in."))
            let again = try env.browser()
            try await again.signIn(as: .auditor)
            #expect(!(try await again.get("/home").body.string.contains("failed attempts")))
        }
    }
}
