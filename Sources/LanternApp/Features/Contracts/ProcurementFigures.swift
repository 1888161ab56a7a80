import Fluent
import Foundation
import LanternCore
import NIOConcurrencyHelpers
import Vapor

/// The dashboard's counts, kept for a few seconds. Counting 100,000 contracts by level is most
/// of the page's cost, and the figures need not be fresher than this: any change made through
/// this Lantern (a POST under /suppliers, /contracts or /procurement) discards them at once, and
/// otherwise they live 15 seconds (so an import from the command line shows within that).
final class ProcurementFigures: Sendable {
    static let lifetime: TimeInterval = 15

    struct Counts: Sendable {
        var byLevel: [(level: String, count: Int)] = []
        var overdueReviews = 0
        var dueReviews = 0
        var noStatement = 0
        var statementGaps = 0
        var statementOutOfDate = 0
        var statementNoApproval = 0
        var statementPeriodEnded = 0
        var statementUnreadable = 0
        var openActions = 0
        var overdueActions = 0
    }

    private struct Cached: Sendable {
        let version: Int
        let day: Day
        let at: Date
        let counts: Counts
    }

    private let state = NIOLockedValueBox<(version: Int, cached: Cached?)>((0, nil))

    /// Procurement data changed: the next dashboard counts afresh.
    func invalidate() {
        state.withLockedValue { $0.version += 1; $0.cached = nil }
    }

    func counts(on db: any Database, today: Day, now: Date) async throws -> Counts {
        let version = state.withLockedValue { state -> Int in state.version }
        if let cached = state.withLockedValue({ $0.cached }), cached.version == version, cached.day == today,
           now.timeIntervalSince(cached.at) < Self.lifetime {
            return cached.counts
        }
        let counts = try await Self.count(on: db, today: today)
        state.withLockedValue { if $0.version == version { $0.cached = Cached(version: version, day: today, at: now, counts: counts) } }
        return counts
    }

    private static func count(on db: any Database, today: Day) async throws -> Counts {
        var counts = Counts()
        // A count per level, each answered from the (status, risk_level) index.
        for level in RiskLevel.allCases.reversed() {
            counts.byLevel.append((level.rawValue, try await Contract.query(on: db).filter(\.$status == .active).filter(\.$riskLevel == level.rawValue).countRows()))
        }
        counts.byLevel.append(("not_assessed", try await Contract.query(on: db).filter(\.$status == .active).filter(\.$riskLevel == nil).countRows()))
        counts.overdueReviews = try await ContractsController.filtered(.init(review: "overdue"), today: today, user: nil, on: db).countRows()
        counts.dueReviews = try await ContractsController.filtered(.init(review: "due_soon"), today: today, user: nil, on: db).countRows()
        let staleBefore = today.adding(months: -StatementCurrency.graceMonths).iso
        counts.noStatement = try await Supplier.query(on: db).filter(\.$statementGaps == nil).countRows()
        counts.statementGaps = try await Supplier.query(on: db).filter(\.$statementGaps > 0).countRows()
        counts.statementOutOfDate = try await Supplier.query(on: db).filter(\.$statementGaps != nil).filter(\.$statementPeriodEnd < staleBefore).countRows()
        counts.statementNoApproval = try await StatementRegisterController.filtered(.noApproval, q: "", today: today, on: db).count()
        counts.statementPeriodEnded = try await StatementRegisterController.filtered(.periodEnded, q: "", today: today, on: db).count()
        counts.statementUnreadable = try await StatementRegisterController.filtered(.unreadable, q: "", today: today, on: db).count()
        counts.openActions = try await ContractAction.query(on: db).filter(\.$status == .open).countRows()
        counts.overdueActions = try await ContractAction.query(on: db).filter(\.$status == .open).filter(\.$dueDate < today.iso).countRows()
        return counts
    }
}

extension Application {
    private struct ProcurementFiguresKey: StorageKey { typealias Value = ProcurementFigures }

    var procurementFigures: ProcurementFigures {
        if let figures = storage[ProcurementFiguresKey.self] { return figures }
        let figures = ProcurementFigures()
        storage[ProcurementFiguresKey.self] = figures
        return figures
    }
}

/// Discards the cached dashboard figures after any change to procurement data.
struct ProcurementChangeMiddleware: AsyncMiddleware {
    static let prefixes = ["/suppliers", "/contracts", "/procurement"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.method != .GET, request.method != .HEAD, Self.prefixes.contains(where: { request.url.path.hasPrefix($0) }) {
            request.application.procurementFigures.invalidate()
        }
        return response
    }
}
