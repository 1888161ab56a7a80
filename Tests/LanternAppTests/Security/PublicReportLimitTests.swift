import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// The public report form stays open to genuine reporters (issue 17, item 6).
@Suite("Public report limits")
struct PublicReportLimitTests {
    @Test(arguments: TestDatabase.available)
    func refusedSubmissionsDoNotUseUpTheHour(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let flood = try env.browser()
            try await flood.get("/report")
            for _ in 0..<12 {
                let refused = try await flood.postPairs("/report", [("description", ""), ("anonymous", "yes")])
                #expect(refused.status == .unprocessableEntity)
            }
            // The per-address limit (5 an hour) counts accepted reports only.
            let reporter = try env.browser()
            for i in 0..<5 {
                let code = try await ConcernsTests.reportAnonymously(reporter)
                #expect(ReceiptCode(typed: code) != nil, "report \(i + 1) was refused")
            }
            try await reporter.get("/report")
            let sixth = try await reporter.postPairs("/report", ConcernsTests.publicReport)
            #expect(sixth.status == .tooManyRequests)
        }
    }

    static func proofToken(in page: String) throws -> String {
        let start = try #require(page.range(of: "name=\"pow_token\" value=\""))
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    @Test(arguments: TestDatabase.available)
    func aFloodFromTenAddressesLeavesTheFormOpenToAReporterWhoseBrowserDidTheWork(_ database: TestDatabase) async throws {
        try await withLantern(database, adjusting: { $0.trustedProxies = ["127.0.0.1"] }) { env in
            // Through a real socket, behind a named proxy, so each sender has its own address.
            let tester = try env.app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            var statuses: [HTTPStatus] = []
            for n in 1...10 {
                let bot = Browser(tester: tester)
                bot.extraHeaders = ["X-Forwarded-For": "203.0.113.\(n)"]
                for _ in 0..<5 {
                    try await bot.get("/report")
                    statuses.append(try await bot.postPairs("/report", ConcernsTests.publicReport).status)
                }
            }
            #expect(statuses.filter { $0 == .ok }.count == 5, "scripted posts skipping the work share the smaller budget")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 45)

            let person = Browser(tester: tester)
            person.extraHeaders = ["X-Forwarded-For": "198.51.100.7"]
            let token = try Self.proofToken(in: try await person.get("/report").body.string)
            let solution = try #require(ProofOfWork.solve(token))
            let proof = [("pow_token", token), ("pow_solution", solution)]
            let sent = try await person.postPairs("/report", ConcernsTests.publicReport + proof)
            #expect(sent.status == .ok)
            #expect(sent.body.string.contains("Your report has been sent"))
            // A solution is spent once: sent again it is no proof, and that budget is used up.
            try await person.get("/report")
            let replayed = try await person.postPairs("/report", ConcernsTests.publicReport + proof)
            #expect(replayed.status == .tooManyRequests)
            try await person.get("/report")
            let forged = try await person.postPairs("/report", ConcernsTests.publicReport + [("pow_token", token.replacingOccurrences(of: ".16.", with: ".1.")), ("pow_solution", "0")])
            #expect(forged.status == .tooManyRequests)
            let fresh = try Self.proofToken(in: try await person.get("/report").body.string)
            let second = try await person.postPairs("/report", ConcernsTests.publicReport + [("pow_token", fresh), ("pow_solution", try #require(ProofOfWork.solve(fresh)))])
            #expect(second.status == .ok)
        }
    }

    @Test func theClientIsReadFromForwardedForOnlyBehindANamedProxy() {
        let proxies: Set<String> = ["10.0.0.2", "10.0.0.3"]
        // Straight from the client: the header is whatever the client wrote, so it is ignored.
        #expect(ClientAddress.resolve(remote: "81.2.69.142", forwardedFor: ["1.2.3.4"], trustedProxies: proxies) == "81.2.69.142")
        // Through the proxy: the rightmost address the proxies did not add.
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: ["6.6.6.6, 81.2.69.142"], trustedProxies: proxies) == "81.2.69.142")
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: ["81.2.69.142", "10.0.0.3"], trustedProxies: proxies) == "81.2.69.142")
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: [], trustedProxies: proxies) == "10.0.0.2")
        #expect(ClientAddress.resolve(remote: nil, forwardedFor: ["81.2.69.142"], trustedProxies: proxies) == "unknown")
        // Without a proxy named, nobody's header is believed.
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: ["81.2.69.142"], trustedProxies: []) == "10.0.0.2")
    }
}

/// A report and its audit row are written both or neither, however many arrive at once
/// (issue 17, item 10).
@Suite("Reports and their audit rows")
struct ReportAuditTests {
    @Test(arguments: TestDatabase.available)
    func everyConcurrentReportHasExactlyOneAuditRow(_ database: TestDatabase) async throws {
        try await withLantern(database, adjusting: {
            $0.publicReporting.reportsPerHour = 1_000
            $0.publicReporting.reportsWithoutProofPerHour = 1_000
            $0.publicReporting.reportsPerAddressPerHour = 1_000
        }) { env in
            var reporters: [Browser] = []
            for _ in 0..<30 {
                let b = try env.browser()
                try await b.get("/report")
                reporters.append(b)
            }
            let before = Set(try await Concern.query(on: env.db).all().compactMap(\.id))
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for b in reporters { group.addTask { try await b.postPairs("/report", ConcernsTests.publicReport).status } }
                var all: [HTTPStatus] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            let made = try await Concern.query(on: env.db).all().filter { !before.contains($0.id!) }
            #expect(made.count == 30)
            for concern in made {
                let rows = try await AuditEntry.query(on: env.db).filter(\.$entityType == "Concern").filter(\.$entityID == concern.id!.uuidString)
                    .filter(\.$action == "create").count()
                #expect(rows == 1, "concern \(concern.reference) has \(rows) audit rows")
            }
            #expect(try await env.app.lantern.audit.verify(on: env.db).firstBreak == nil)
        }
    }

    /// Makes the audit log refuse rows matching `condition` (SQL over `NEW`), as a full disk or a
    /// lost connection would.
    static func auditRefuses(_ env: TestEnvironment, when condition: String) async throws {
        if env.database == .sqlite {
            try await env.sql.raw(SQLQueryString("CREATE TRIGGER audit_down BEFORE INSERT ON audit_entries WHEN \(condition) BEGIN SELECT RAISE(ABORT, 'audit down'); END")).run()
        } else {
            try await env.sql.raw(SQLQueryString("""
                CREATE FUNCTION audit_down() RETURNS trigger AS $$ BEGIN
                IF \(condition) THEN RAISE EXCEPTION 'audit down'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                """)).run()
            try await env.sql.raw("CREATE TRIGGER audit_down BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_down()").run()
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCaseChangeAndItsAuditRowAreWrittenBothOrNeither(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await PrivacyTests.openCase(env, first: "Nadia", last: "Hussain")
            let path = "/cases/\(c.id!.uuidString)"
            try await Self.auditRefuses(env, when: "NEW.entity_type IN ('CaseNote', 'CaseAction', 'Disclosure') OR (NEW.entity_type = 'Case' AND NEW.action = 'delete')")
            let notes = try await CaseNote.query(on: env.db).count()
            try await caseworker.get(path)
            #expect(try await caseworker.post(path + "/notes", ["note": "Spoke to her at the clinic"]).status == .internalServerError)
            #expect(try await CaseNote.query(on: env.db).count() == notes, "a note was kept without its audit row")
            let share = ["kind": "police_report", "recipient": "Police", "sent_on": Day(env.clock.now()).iso, "status": "sent"]
            try await caseworker.get(path)
            #expect(try await caseworker.post(path + "/actions", share).status == .internalServerError)
            #expect(try await CaseAction.query(on: env.db).count() == 0)
            #expect(try await Disclosure.query(on: env.db).filter(\.$caseID == c.id!).count() == 0, "the disclosure went in without the action's audit row")

            let dpo = try env.browser()
            try await dpo.signIn(as: .dataProtectionOfficer)
            let recorded = try await dpo.post("/privacy/requests", ["kind": "erasure", "requester": "The person", "details": "Delete my records",
                                                                    "received_on": Day(env.clock.now()).iso, "case_reference": c.reference])
            let erased = try await dpo.post(try #require(recorded.location) + "/decide", ["decision": "granted", "reason": "No longer needed", "confirm_reference": c.reference])
            #expect(erased.status == .internalServerError)
            #expect(try await SafeguardingCase.find(c.id, on: env.db)?.erasedAt == nil, "the case was erased without an audit row")
            #expect(try await PrivacyTests.decryptedText(env).contains("Hussain"))
            let files = try await EvidenceFile.query(on: env.db).filter(\.$ownerID == c.id!).all()
            #expect(!files.isEmpty)
            for f in files {
                #expect(try await EvidenceChunk.readAll(f, cipher: env.app.lantern.cipher, on: env.db).count == f.size,
                        "an erasure that was rolled back removed an evidence file's bytes")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func whenTheAuditRowCannotBeWrittenTheReportIsNotKeptEither(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            // The audit log refuses public reports' rows, as a full disk or a lost connection would.
            try await Self.auditRefuses(env, when: "NEW.detail LIKE 'public report%'")
            let before = try await Concern.query(on: env.db).count()
            let reporter = try env.browser()
            try await reporter.get("/report")
            let response = try await reporter.postPairs("/report", ConcernsTests.publicReport)
            #expect(response.status == .internalServerError)
            #expect(!response.body.string.contains("id=\"receipt-code\""), "no code for a report that was not kept")
            #expect(try await Concern.query(on: env.db).count() == before, "a report was kept without its audit row")
        }
    }
}
