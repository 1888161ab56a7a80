import Fluent
import Foundation
import LanternCore
import NIOConcurrencyHelpers
import StatementChecker
import Vapor

/// Where the register's statements come from: the web, under the fetcher's rules (no addresses
/// inside the network, limited size and time). A seam so the register can be tested offline.
protocol StatementSource: Sendable {
    func fetch(_ address: String) async throws -> Data
}

extension StatementFetcher: StatementSource {}

extension Application {
    private struct StatementSourceKey: StorageKey { typealias Value = any StatementSource }

    var statementSource: any StatementSource {
        get { storage[StatementSourceKey.self] ?? StatementFetcher.configured(ProcessInfo.processInfo.environment) }
        set { storage[StatementSourceKey.self] = newValue }
    }
}

/// Polite fetching: one request at a time, and a pause between two requests to one host, so
/// checking a register never hammers a supplier's site or a statement platform many share.
actor PoliteFetching {
    let pause: Duration
    private var last: [String: ContinuousClock.Instant] = [:]

    init(pause: Duration) { self.pause = pause }

    func fetch(_ address: String, from source: any StatementSource) async throws -> Data {
        let host = URL(string: address)?.host?.lowercased() ?? address
        if let previous = last[host] {
            let wait = previous.advanced(by: pause) - ContinuousClock.now
            // Waited on an event loop's timer rather than `Task.sleep`, whose deadline never
            // arrives when the process runs with its clock moved back (faketime).
            if wait > .zero {
                let nanoseconds = wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000
                try await MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(nanoseconds)) {}.futureResult.get()
            }
        }
        defer { last[host] = ContinuousClock.now }
        return try await source.fetch(address)
    }
}

/// Checks the statements of the register's suppliers, one after another: every supplier with a
/// statement address (`all`), those whose check is due (`due`, from the daily schedule), or one.
/// Each check is kept, so a supplier's page can compare it with the one before.
struct StatementRegisterJob: JobHandler {
    static let kind = "statement-register"
    var kind: String { Self.kind }
    var title: String { "Checking the suppliers' modern slavery statements" }

    /// Seconds between two requests to one host: `LANTERN_STATEMENT_FETCH_PAUSE`, 2 unless set.
    static var pause: Duration {
        .milliseconds(Int((Double(ProcessInfo.processInfo.environment["LANTERN_STATEMENT_FETCH_PAUSE"] ?? "") ?? 2) * 1000))
    }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        let today = Day(context.app.lantern.now())
        let suppliers = try await Self.suppliers(context.job.subject, today: today, on: context.db)
        let fetching = PoliteFetching(pause: Self.pause)
        let actor = try await context.ownerActor()
        var checked = 0, unreadable = 0
        try await context.progress(done: 0, total: suppliers.count)
        for (n, supplier) in suppliers.enumerated() {
            let address = supplier.statementURL ?? ""
            do {
                let data = try await fetching.fetch(address, from: context.app.statementSource)
                let report = try await context.app.checkStatement(data, source: address)
                let record = try StatementCheckRecord(report, source: address, checkedBy: nil, at: context.app.lantern.now(), supplierID: supplier.id)
                try await context.db.writeTransaction { db in
                    try await record.create(on: db)
                    supplier.take(record, report, url: address)
                    try await supplier.save(on: db)
                    try await context.audit(.create, .statementCheck, id: record.id?.uuidString, actor: actor,
                                            detail: "register check of \(supplier.name): \(record.metCount) of \(record.criteriaCount) met", on: db)
                }
                checked += 1
            } catch let problem as ReadProblem {
                supplier.statementProblem = String(problem.description.prefix(500))
                supplier.statementCheckedAt = context.app.lantern.now()
                try await supplier.save(on: context.db)
                unreadable += 1
            }
            try await context.progress(done: n + 1, total: suppliers.count)
        }
        context.app.procurementFigures.invalidate()
        let result = "\(checked) statement\(checked == 1 ? "" : "s") checked" + (unreadable > 0 ? "; \(unreadable) could not be read (the register says why)" : "") + "."
        return (result, "/statements/register")
    }

    /// The suppliers a run covers, by name. `due`: never checked, checked over a year ago, or
    /// last checked before their statement's next one was due (six months after its period
    /// ended, `statements.md` §3, the registry's year).
    static func suppliers(_ subject: String, today: Day, on db: any Database) async throws -> [Supplier] {
        let query = Supplier.query(on: db).filter(\.$statementURL != nil).filter(\.$statementURL != "").sort(\.$name).sort(\.$id)
        if let id = UUID(uuidString: subject) { return try await query.filter(\.$id == id).all() }
        let all = try await query.all()
        guard subject == "due" else { return all }
        return all.filter { isDue($0, today: today) }
    }

    static func isDue(_ supplier: Supplier, today: Day) -> Bool {
        guard let checked = supplier.statementCheckedAt.map(Day.init) else { return true }
        if checked.adding(months: 12) <= today { return true }
        guard let end = supplier.statementPeriodEnd.flatMap(Day.init(parsing:)) else { return false }
        let nextDue = end.adding(months: 12 + StatementCurrency.graceMonths)
        return nextDue <= today && checked < nextDue
    }
}
