import Fluent
import SQLKit

/// Indexes that answer a person's case counts from the index alone: a team's open cases, and
/// the person's own outside the team, each with the next deadline for "overdue". The earlier
/// owner index lacked the team, so counting a caseworker's own cases outside their team read
/// every one of their cases' rows (2 ms at 100,000 cases, on every case list), and the home
/// page counted all open cases to find the person's (5 ms). These replace the two indexes they
/// begin with.
struct AddCaseScopeIndexes: AsyncMigration {
    var name: String { "2026-12-07-case-scope-indexes" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_owner_scope_idx").on(SafeguardingCase.schema)
            .column("owner_id").column("status").column("next_deadline").column("team_id").run()
        try await sql.create(index: "cases_team_scope_idx").on(SafeguardingCase.schema)
            .column("team_id").column("status").column("next_deadline").run()
        try await sql.drop(index: "cases_owner_idx").run()
        try await sql.drop(index: "cases_team_idx").run()
        // Fresh statistics, so the planner weighs the new indexes (ANALYZE, unlike VACUUM, may run
        // inside the migration's transaction on PostgreSQL).
        try await sql.raw("ANALYZE \(ident: SafeguardingCase.schema)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_owner_idx").on(SafeguardingCase.schema).column("owner_id").column("status").run()
        try await sql.create(index: "cases_team_idx").on(SafeguardingCase.schema).column("team_id").column("status").run()
        try await sql.drop(index: "cases_owner_scope_idx").run()
        try await sql.drop(index: "cases_team_scope_idx").run()
    }
}
