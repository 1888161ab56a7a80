import Fluent
import Foundation
import SQLKit

/// References for records that say nothing about the person: a prefix, the year, and either
/// six characters from an alphabet without look-alikes (no 0/O or 1/I/L), for concerns and
/// cases, or a count within the year, for the data-rights requests an officer quotes in letters.
enum RecordReference {
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    /// "MS-26-AB3KQ7".
    static func random(prefix: String, year: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return "\(prefix)-\(year % 100)-" + String((0..<6).map { _ in alphabet.randomElement(using: &rng)! })
    }

    /// A random reference not yet used in the `reference` column of `table`.
    static func unique(prefix: String, year: Int, in table: String, on db: any Database) async throws -> String {
        let sql = db as! any SQLDatabase
        for _ in 0..<10 {
            let candidate = random(prefix: prefix, year: year)
            let clash = try await sql.select().column("id").from(table).where("reference", .equal, candidate).limit(1).first()
            if clash == nil { return candidate }
        }
        throw LanternError(.internalServerError, "A reference could not be made. Try again.")
    }

    /// "SAR-2026-0003": the next count within the year among the references of `table`.
    static func counted(prefix: String, year: Int, in table: String, on db: any Database) async throws -> String {
        let sql = db as! any SQLDatabase
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where("reference", .like, "\(prefix)-\(year)-%").first()
        let count = try row?.decode(column: "n", as: Int.self) ?? 0
        return String(format: "%@-%d-%04d", prefix, year, count + 1)
    }
}
