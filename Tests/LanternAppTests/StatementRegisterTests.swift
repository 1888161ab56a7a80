import Fluent
import Foundation
import LanternCore
import NIOConcurrencyHelpers
import StatementChecker
import Testing
import VaporTesting
@testable import LanternApp

/// Statements at fixed addresses, and when each was asked for: the register's checks offline.
final class StubStatements: StatementSource, @unchecked Sendable {
    private let lock = NIOLock()
    private var documents: [String: Data]
    private(set) var calls: [(address: String, at: ContinuousClock.Instant)] = []

    init(_ documents: [String: Data]) { self.documents = documents }

    func set(_ address: String, _ data: Data) { lock.withLock { documents[address] = data } }

    func fetch(_ address: String) async throws -> Data {
        try lock.withLock {
            calls.append((address, ContinuousClock.now))
            guard let data = documents[address] else { throw ReadProblem.notAStatement }
            return data
        }
    }
}

@Suite("Statements across the supplier register")
struct StatementRegisterTests {
    static func supplier(_ env: TestEnvironment, _ name: String, url: String?) async throws -> Supplier {
        let s = Supplier(name: name, statementURL: url, nameKey: OrganisationName.key(name))
        try await s.create(on: env.db)
        return s
    }

    @Test(arguments: TestDatabase.available)
    func everyStatementIsCheckedPolitelyListedByCriterionAndComparedWithTheOneBefore(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let council = try StatementsPageTests.seed("001"), company = try StatementsPageTests.seed("000")
            let stub = StubStatements(["https://statements.example/alpha": council, "https://statements.example/beta": company,
                                       "https://gamma.example/ms": Data("Opening hours: nine to five.".utf8)])
            env.app.statementSource = stub
            let alpha = try await Self.supplier(env, "Alpha Cleaning Ltd", url: "https://statements.example/alpha")
            _ = try await Self.supplier(env, "Beta Catering Ltd", url: "https://statements.example/beta")
            _ = try await Self.supplier(env, "Gamma Security Ltd", url: "https://gamma.example/ms")
            _ = try await Self.supplier(env, "Delta Laundry Ltd", url: nil)

            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            try await officer.get("/statements/register")
            let asked = try await officer.post("/statements/register/check", [:])
            #expect(asked.location?.hasPrefix("/jobs/") == true)
            try await env.runJobs()

            // One request at a time, and a pause between two to the same host.
            let sameHost = stub.calls.filter { $0.address.contains("statements.example") }
            #expect(sameHost.count == 2)
            #expect(sameHost[1].at - sameHost[0].at >= .milliseconds(1900), "paused between requests to one host")

            let register = try await officer.get("/statements/register").body.string
            #expect(register.contains("Alpha Cleaning Ltd") && register.contains("Delta Laundry Ltd"))
            let noApproval = try await officer.get("/statements/register?show=no_approval").body.string
            #expect(noApproval.contains("Beta Catering Ltd") && !noApproval.contains("Alpha Cleaning Ltd"))
            let unreadable = try await officer.get("/statements/register?show=unreadable").body.string
            #expect(unreadable.contains("Gamma Security Ltd") && unreadable.contains("does not look like a modern slavery statement"))
            let none = try await officer.get("/statements/register?show=no_statement").body.string
            #expect(none.contains("Gamma Security Ltd") && none.contains("Delta Laundry Ltd") && !none.contains("Alpha Cleaning Ltd"))
            let ended = try await officer.get("/statements/register?show=period_ended").body.string
            #expect(ended.contains("Alpha Cleaning Ltd"), "2018/19 ended years ago")
            let csv = try await officer.get("/statements/register/export.csv?show=no_approval").body.string
            #expect(csv.hasPrefix("supplier,statement_url,statement,period_end,approval,signature,period"))
            #expect(csv.contains("Beta Catering Ltd,https://statements.example/beta,Checked,,not_found"))
            let dashboard = try await officer.get("/procurement").body.string
            #expect(dashboard.contains("Statements without board approval"))

            // A year on, Alpha's statement no longer says who approved it: the page shows what was lost.
            let unapproved = String(decoding: council, as: UTF8.self).replacingOccurrences(of: "This statement has been approved by Cabinet", with: "This statement is published")
            stub.set("https://statements.example/alpha", Data(unapproved.utf8))
            env.clock.advance(by: 3600)
            try await officer.signIn(as: .procurementOfficer)
            try await officer.get("/statements/register")
            try await officer.post("/statements/register/check", [:])
            try await env.runJobs()
            #expect(try await StatementCheckRecord.query(on: env.db).filter(\.$supplierID == alpha.id!).count() == 2, "every check is kept")
            let page = try await officer.get("/suppliers/\(alpha.id!.uuidString)").body.string
            #expect(page.contains("Compared with the check of"))
            #expect(page.contains("<strong>Lost:</strong> Approved by the board or equivalent governing body (was Met, now"))
            #expect(page.contains("This statement has been approved by Cabinet"), "the sentence behind the loss")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aReviewersVerdictIsShownAndExportedWithLanternsBesideIt(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let supplier = try await Self.supplier(env, "Alpha Cleaning Ltd", url: nil)
            let officer = try env.browser()
            try await officer.signIn(as: .procurementOfficer)
            try await officer.get("/suppliers/\(supplier.id!.uuidString)")
            let checked = try await officer.postFile("/suppliers/\(supplier.id!.uuidString)/statement", fields: ["url": ""], fileField: "file",
                                                     filename: "alpha.txt", contents: try StatementsPageTests.seed("001"))
            #expect(checked.status == .seeOther)
            let record = try #require(try await StatementCheckRecord.query(on: env.db).filter(\.$supplierID == supplier.id!).first())
            let path = "/statements/\(record.id!.uuidString)"
            let metBefore = record.metCount
            try await officer.get(path)

            // A verdict must be chosen; what was typed stays.
            let refused = try await officer.post("\(path)/reviews", ["criterion": "period", "note": "The <period> is long past"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Choose your verdict on Period covered"))
            #expect(refused.body.string.contains("The &lt;period&gt; is long past</textarea>"))
            try await officer.post("\(path)/reviews", ["criterion": "period", "verdict": "not_explicit", "note": "The period is long past."])
            let page = try await officer.get(path).body.string
            #expect(page.contains("<strong>Reviewer's verdict:</strong> Not explicit, by Jordan Ellis on"))
            #expect(page.contains("Lantern's verdict: Met."))
            let reviewed = try #require(try await StatementCheckRecord.find(record.id, on: env.db))
            #expect(reviewed.metCount == metBefore - 1 && reviewed.verdicts?.contains("period=not_explicit") == true)
            #expect(try await Supplier.find(supplier.id, on: env.db)?.statementVerdicts?.contains("period=not_explicit") == true, "the register shows the reviewer's verdict")
            let csv = try await officer.get("/statements/register/export.csv?q=Alpha").body.string
            #expect(csv.contains("period: not_explicit by Jordan Ellis on") && csv.contains("(Lantern: met)"))

            // Sentences marked are kept as labelled sentences, with their text.
            let far = try await officer.post("\(path)/sentences", ["criterion": "approval", "position": "9999", "is_evidence": "yes"])
            #expect(far.status == .unprocessableEntity && far.body.string.contains("Enter a sentence number from 1 to 73"))
            try await officer.post("\(path)/sentences", ["criterion": "approval", "position": "69", "is_evidence": "no"])
            try await officer.post("\(path)/sentences", ["criterion": "training", "position": "1", "is_evidence": "yes"])
            let labels = try await StatementSentenceLabel.query(on: env.db).filter(\.$checkID == record.id!).sort(\.$sentenceIndex).all()
            #expect(labels.map(\.criterionID) == ["training", "approval"] && labels.last?.sentence.contains("approved by Cabinet") == true)
            let marked = try await officer.get(path).body.string
            #expect(marked.contains("Marked not evidence by Jordan Ellis") && marked.contains("Marked as evidence by Jordan Ellis"))

            // As training data: only the labels a reviewer looked at are known.
            try await officer.post("\(path)/sentences", ["criterion": "aims_3", "position": "5", "is_evidence": "yes"])
            let corrected = try await StatementCorrections.statements(on: env.db)
            #expect(corrected.count == 1)
            let statement = try #require(corrected.first)
            #expect(statement.source == "corrections" && statement.sentences.count == 73)
            let known = AIMSLabel.allCases.filter { statement.known[$0.rawValue] }
            #expect(known == [.approval, .c2Structure], "training and the period come from rules; they teach no label")
            #expect(statement.labels[68][AIMSLabel.approval.rawValue] == false, "struck out by the reviewer")
            #expect(statement.labels[4][AIMSLabel.c2Structure.rawValue] == true, "added by the reviewer")

            // Reading is not reviewing.
            let auditor = try env.browser()
            try await auditor.signIn(as: .auditor)
            #expect(!(try await auditor.get(path).body.string.contains("Review this finding")))
            #expect(try await auditor.post("\(path)/reviews", ["criterion": "period", "verdict": "met"]).status == .forbidden)
        }
    }

    @Test func aStatementIsDueAYearOnOrWhenTheNextOneShouldBeOut() {
        let s = Supplier(name: "A", statementURL: "https://a.example", nameKey: "a")
        let today = Day(year: 2026, month: 12, day: 7)!
        #expect(StatementRegisterJob.isDue(s, today: today), "never checked")
        s.statementCheckedAt = Day(year: 2025, month: 11, day: 1)!.noon
        #expect(StatementRegisterJob.isDue(s, today: today), "checked over a year ago")
        s.statementCheckedAt = Day(year: 2026, month: 6, day: 1)!.noon
        s.statementPeriodEnd = "2025-03-31"
        #expect(StatementRegisterJob.isDue(s, today: today), "the 2025/26 statement was due by 30 September 2026")
        s.statementPeriodEnd = "2026-03-31"
        #expect(!StatementRegisterJob.isDue(s, today: today))
        s.statementCheckedAt = Day(year: 2026, month: 10, day: 1)!.noon
        s.statementPeriodEnd = "2025-03-31"
        #expect(!StatementRegisterJob.isDue(s, today: today), "checked since the next one was due")
    }
}
