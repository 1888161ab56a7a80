import Fluent
import LanternCore
import SQLKit

/// Keeps each referral's Reasonable and Conclusive Grounds outcomes beside their dates, and
/// county lines in the report's covering index, so the statistics count decisions, days taken
/// and the county lines share from indexes alone. Two more indexes lead with the grouped
/// columns: SQLite then groups in index order (a skip-scan over the date range) instead of
/// sorting a year of rows, which was most of the year report's time.
struct AddDecisionOutcomes: AsyncMigration {
    var name: String { "2026-11-24-add-decision-outcomes" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one column at a time.
        try await database.schema(HomeOfficeReferral.schema).field("rg_positive", .bool).update()
        try await database.schema(HomeOfficeReferral.schema).field("cg_positive", .bool).update()
        // Referrals decided before this migration: the outcome is the decision state their
        // transitions last moved to.
        for n in try await HomeOfficeReferral.query(on: database).filter(\.$kind == .nrm).all() where n.rgDecisionOn != nil {
            let moves = try await HomeOfficeReferralTransition.query(on: database).filter(\.$notification.$id == n.id!).sort(\.$recordedAt).all()
            for move in moves {
                switch move.to {
                case .rgPositive, .rgNegative: n.rgPositive = move.to == .rgPositive
                case .cgPositive, .cgNegative:
                    n.cgPositive = move.to == .cgPositive
                    if n.combinedDecision { n.rgPositive = n.cgPositive }
                default: break
                }
            }
            try await n.save(on: database)
        }
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "cases_report_idx").run()
        try await sql.create(index: "cases_report_idx").on(SafeguardingCase.schema)
            .column("opened_at").column("exploitation_types").column("under18_at_exploitation").column("gender").column("nationality")
            .column("county_lines").run()
        try await sql.create(index: "cases_stats_idx").on(SafeguardingCase.schema)
            .column("exploitation_types").column("under18_at_exploitation").column("gender").column("nationality").column("county_lines")
            .column("opened_at").run()
        try await sql.create(index: "concerns_channel_idx").on(Concern.schema).column("channel").column("received_at").run()
        try await sql.create(index: "nrm_notifications_rg_idx").on(HomeOfficeReferral.schema)
            .column("rg_decision_on").column("rg_positive").column("submitted_on").run()
        try await sql.create(index: "nrm_notifications_cg_idx").on(HomeOfficeReferral.schema)
            .column("cg_decision_on").column("cg_positive").column("submitted_on").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "cases_stats_idx").run()
            try await sql.drop(index: "concerns_channel_idx").run()
            try await sql.drop(index: "nrm_notifications_rg_idx").run()
            try await sql.drop(index: "nrm_notifications_cg_idx").run()
        }
        try await database.schema(HomeOfficeReferral.schema).deleteField("rg_positive").update()
        try await database.schema(HomeOfficeReferral.schema).deleteField("cg_positive").update()
    }
}
