import Crypto
import Foundation
import Testing
@testable import LanternCore

@Suite("Sign-in throttle")
struct SignInThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let throttle = SignInThrottle()

    @Test func fourFailuresAreFree() {
        let failures = (1...4).map { now.addingTimeInterval(Double(-$0)) }
        #expect(throttle.nextAllowedAttempt(failures: failures, now: now) == nil)
    }

    @Test func theFifthFailureMeansThirtySeconds() {
        let failures = (0..<5).map { now.addingTimeInterval(Double(-$0)) }
        #expect(throttle.nextAllowedAttempt(failures: failures, now: now) == now.addingTimeInterval(30))
    }

    @Test func theWaitDoublesAndIsCapped() {
        let seven = (0..<7).map { now.addingTimeInterval(Double(-$0)) }
        #expect(throttle.nextAllowedAttempt(failures: seven, now: now) == now.addingTimeInterval(120))
        let many = (0..<40).map { now.addingTimeInterval(Double(-$0)) }
        #expect(throttle.nextAllowedAttempt(failures: many, now: now) == now.addingTimeInterval(15 * 60))
    }

    @Test func failuresOutsideTheWindowAreForgotten() {
        let old = (0..<10).map { now.addingTimeInterval(-16 * 60 - Double($0)) }
        #expect(throttle.nextAllowedAttempt(failures: old, now: now) == nil)
    }

    @Test func oneMayTryAgainOnceTheWaitHasPassed() {
        let failures = (0..<5).map { now.addingTimeInterval(-60 - Double($0)) }
        #expect(throttle.nextAllowedAttempt(failures: failures, now: now) == nil)
    }
}

@Suite("Session lifetime")
struct SessionLifetimeTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let lifetime = SessionLifetime()

    @Test func thirtyMinutesIdleIsTheLimit() {
        #expect(!lifetime.hasExpired(createdAt: start, lastSeenAt: start, now: start.addingTimeInterval(30 * 60)))
        #expect(lifetime.hasExpired(createdAt: start, lastSeenAt: start, now: start.addingTimeInterval(30 * 60 + 1)))
    }

    @Test func tenHoursIsTheAbsoluteLimit() {
        let late = start.addingTimeInterval(10 * 3600 + 1)
        #expect(lifetime.hasExpired(createdAt: start, lastSeenAt: late.addingTimeInterval(-5), now: late))
        #expect(!lifetime.hasExpired(createdAt: start, lastSeenAt: late.addingTimeInterval(-5), now: start.addingTimeInterval(10 * 3600)))
    }
}

@Suite("Password policy")
struct PasswordPolicyTests {
    @Test func shortPasswordsAreRefused() {
        #expect(PasswordPolicy.problems(with: "elevenchars", email: "a@b.org").contains("Password must be 12 characters or more"))
    }

    @Test func commonAndRepetitivePasswordsAreRefused() {
        #expect(!PasswordPolicy.problems(with: "Password1234", email: "a@b.org").isEmpty)
        #expect(!PasswordPolicy.problems(with: "aaaaaaaaaaaaaaaa", email: "a@b.org").isEmpty)
    }

    @Test func passwordsContainingTheEmailAreRefused() {
        #expect(PasswordPolicy.problems(with: "xx-sam@council.gov.uk-xx", email: "sam@council.gov.uk").contains("Password must not contain your email address"))
    }

    @Test func passphrasesAreAccepted() {
        #expect(PasswordPolicy.problems(with: "granite lighthouse ferry", email: "sam@council.gov.uk").isEmpty)
    }

    @Test func overlongPasswordsAreRefusedRatherThanTruncated() {
        #expect(PasswordPolicy.problems(with: String(repeating: "ab", count: 40), email: "").contains("Password must be 72 bytes or fewer"))
    }
}

@Suite("Secret tokens")
struct SecretTokenTests {
    @Test func tokensAre256BitsAndUnique() {
        let tokens = (0..<200).map { _ in SecretToken.generate() }
        #expect(Set(tokens).count == 200)
        #expect(tokens.allSatisfy { $0.count == 43 && !$0.contains("+") && !$0.contains("/") && !$0.contains("=") })
    }

    @Test func comparisonIsExact() {
        #expect(SecretToken.constantTimeEquals("abc", "abc"))
        #expect(!SecretToken.constantTimeEquals("abc", "abd"))
        #expect(!SecretToken.constantTimeEquals("abc", "abcd"))
    }

    /// RFC 4648's test vectors, then every length from 0 to 70 against Foundation's base64 with
    /// the URL alphabet swapped in and the padding dropped.
    @Test func base64URLMatchesTheStandard() {
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (text, encoded) in vectors { #expect(text.utf8.base64URLEncoded == encoded) }
        var generator = SeededGenerator(seed: 2026)
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(bytes.base64URLEncoded == foundation, "length \(length)")
        }
        #expect([0xFB, 0xFF, 0xBF].base64URLEncoded == "-_-_")
    }
}

@Suite("Proof of work")
struct ProofOfWorkTests {
    let key = SymmetricKey(size: .bits256)
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func aSolvedChallengeIsAcceptedOnceItsWorkIsDone() throws {
        let token = ProofOfWork.issue(key: key, now: now, bits: 12, random: Array(repeating: 7, count: 16))
        let solution = try #require(ProofOfWork.solve(token))
        guard case .solved(let challenge, let expires) = ProofOfWork.check(token: token, solution: solution, key: key, now: now.addingTimeInterval(600)) else {
            Issue.record("a solved challenge was refused"); return
        }
        #expect(challenge == String(repeating: "07", count: 16))
        #expect(expires == now.addingTimeInterval(ProofOfWork.lifetime))
    }

    @Test func forgedExpiredUnsolvedAndMissingAreToldApart() throws {
        let token = ProofOfWork.issue(key: key, now: now, bits: 12)
        let solution = try #require(ProofOfWork.solve(token))
        #expect(ProofOfWork.check(token: nil, solution: solution, key: key, now: now) == .missing)
        #expect(ProofOfWork.check(token: token, solution: "", key: key, now: now) == .missing)
        #expect(ProofOfWork.check(token: token.replacingOccurrences(of: ".12.", with: ".1."), solution: "0", key: key, now: now) == .forged)
        #expect(ProofOfWork.check(token: token, solution: solution, key: SymmetricKey(size: .bits256), now: now) == .forged)
        #expect(ProofOfWork.check(token: token, solution: solution, key: key, now: now.addingTimeInterval(ProofOfWork.lifetime + 1)) == .expired)
        #expect(ProofOfWork.check(token: token, solution: solution, key: key, now: now.addingTimeInterval(-3600)) == .expired)
        let wrong = (0..<50).map(String.init).first { ProofOfWork.check(token: token, solution: $0, key: key, now: now) == .unsolved }
        #expect(wrong != nil)
        #expect(ProofOfWork.check(token: token, solution: "-1", key: key, now: now) == .unsolved)
        #expect(ProofOfWork.check(token: String(repeating: "x", count: 500), solution: "1", key: key, now: now) == .forged)
    }

    @Test func leadingZeroBitsAreCountedAcrossBytes() {
        #expect(ProofOfWork.leadingZeroBits([0, 0, 0x10, 0xff]) == 19)
        #expect(ProofOfWork.leadingZeroBits([0x80]) == 0)
        #expect(ProofOfWork.leadingZeroBits([0, 0]) == 16)
    }
}
