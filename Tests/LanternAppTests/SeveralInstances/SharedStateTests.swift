import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// Any request may land on any instance: limits, delays and spent tokens live in the
/// database, not in one process (issue 19, item 1).
@Suite("Shared state across instances")
struct SharedStateTests {
    /// A SQLite file both instances can open; PostgreSQL's schema is shared already.
    static func sharedDatabase(_ configuration: inout LanternConfiguration) {
        if configuration.database == .sqliteMemory {
            let folder = NSTemporaryDirectory() + "lantern-shared-" + UUID().uuidString
            configuration.database = .sqliteFile(path: folder + "/lantern.sqlite")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theHoursReportsCountedByOneInstanceAreCountedByTheOther(_ database: TestDatabase) async throws {
        try await withLantern(database, adjusting: Self.sharedDatabase) { env in
            let other = try await env.secondInstance()
            let first = try env.browser(), second = Browser(tester: try other.testing())
            // Five reports from one address (the limit), alternating between the two instances.
            for i in 0..<5 {
                let code = try await ConcernsTests.reportAnonymously(i.isMultiple(of: 2) ? first : second)
                #expect(ReceiptCode(typed: code) != nil, "report \(i + 1) was refused")
            }
            try await second.get("/report")
            #expect(try await second.postPairs("/report", ConcernsTests.publicReport).status == .tooManyRequests)
            try await first.get("/report")
            #expect(try await first.postPairs("/report", ConcernsTests.publicReport).status == .tooManyRequests)
            // Nothing in the table names the address.
            let digests = try await LimitEvent.query(on: env.db).all().map(\.keyDigest)
            #expect(!digests.contains { $0.contains("127.0.0.1") })
            // An hour on, the events have expired and housekeeping removes them.
            env.clock.advance(by: 3601)
            try await Housekeeping.runOnce(env.app)
            #expect(try await LimitEvent.query(on: env.db).count() == 0)
            try await other.asyncShutdown()
        }
    }

    @Test(arguments: TestDatabase.available)
    func theThirdWrongCodeMakesTheNextTryWaitOnEveryInstance(_ database: TestDatabase) async throws {
        try await withLantern(database, adjusting: Self.sharedDatabase) { env in
            let other = try await env.secondInstance()
            let first = try env.browser(), second = Browser(tester: try other.testing())
            // Two slips cost nothing, and what was typed stays in the box to be corrected.
            for (n, code) in ["1111-2222-3333-4444", "1111-2222-3333-4445", "1111-2222-3333-4446"].enumerated() {
                let browser = n.isMultiple(of: 2) ? first : second
                try await browser.get("/report/follow-up")
                let answer = try await browser.post("/report/follow-up", ["code": code])
                #expect(answer.status == .unprocessableEntity, "miss \(n + 1)")
                #expect(answer.body.string.contains("value=\"\(code)\""))
                #expect(answer.body.string.contains("<title>Error: Check on your report"))
            }
            try await second.get("/report/follow-up")
            let waited = try await second.post("/report/follow-up", ["code": "1111-2222-3333-4447"])
            #expect(waited.status == .tooManyRequests)
            #expect(waited.body.string.contains("Wait 1 second, then try again"))
            try await other.asyncShutdown()
        }
    }

    @Test(arguments: TestDatabase.available)
    func parallelGuessesOfAReceiptCodeGetNoMoreTriesThanTheFreeOnes(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let now = env.clock.now()
            let limits = env.app.lantern.publicLimits
            let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        let (wait, _) = try await SharedLimits.admitTry(bucket: limits.codeFailures, key: "guesser", backoff: limits.codeBackoff,
                                                                        free: limits.freeCodeFailures, keepFor: limits.codeFailureMemory, on: env.db, now: now)
                        return wait == 0
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(admitted == limits.freeCodeFailures + 1, "\(admitted) of 40 parallel guesses were evaluated")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aProofOfWorkIsSpentOnceAcrossConcurrentReports(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let now = env.clock.now()
            let spent = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await SharedLimits.spend(bucket: "proof-of-work-spent", token: "challenge", until: now.addingTimeInterval(60), on: env.db, now: now)
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(spent == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLimitTakenConcurrentlyIsNeverOverrun(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let now = env.clock.now()
            let limit = SharedLimit(bucket: "test", limit: 5, window: 3600)
            let taken = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await SharedLimits.take([(limit, "one")], on: env.db, now: now) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(taken == 5)
            #expect(try await SharedLimits.retryAfter(limit, key: "one", on: env.db, now: now.addingTimeInterval(600)) == 3000)
            #expect(try await SharedLimits.retryAfter(limit, key: "two", on: env.db, now: now) == 0)
        }
    }
}
