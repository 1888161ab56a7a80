import Fluent
import Foundation
import LanternCore
import Vapor

/// Old cases, concerns, referrals and decisions moved in from CSV. Every row of every file is
/// checked by the rules a record typed into Lantern meets (the case form, the concern form, the
/// NRM lifecycle), before anything is written; one bad row stops the whole import, with a
/// message per line (the supplier import's rule, `suppliers.md` §11).
struct RecordsImport {
    struct File: Sendable {
        let kind: RecordsImportColumns.Kind
        let name: String
        let csv: CSVFile
    }

    /// A case row, checked; `openedOn` is the day it began in the former system.
    struct CaseRow {
        let line: Int
        let formerReference: String
        let form: CaseForm
        let openedOn: Day
        let ownerID: UUID?
        let closed: (on: Day, reason: CaseClosureReason)?
        let consent: (decision: ConsentDecision, on: Day)?
    }

    /// Where a referral's or concern's case is: a row of this import, or a case already in Lantern.
    enum CaseLink {
        case row(Int)
        case existing(SafeguardingCase)
    }

    struct ReferralRow {
        let line: Int
        let link: CaseLink
        let kind: NotificationKind
        let startedOn: Day
        let homeOfficeReference: String
        let history: ReferralHistory.Replayed
    }

    struct ConcernRow {
        let line: Int
        let formerReference: String
        let intake: ConcernIntake
        let receivedOn: Day
        let status: ConcernStatus
        let triage: TriageOutcome?
        let link: CaseLink?
    }

    var cases: [CaseRow] = []
    var referrals: [ReferralRow] = []
    var concerns: [ConcernRow] = []
    /// A refused row, or a file refused whole (line 1 for its header, 0 for the file).
    struct Rejection: Sendable {
        let file: String
        let line: Int
        let reason: String
        var text: String { line == 0 ? "\(file): \(reason)" : "\(file), line \(line): \(reason)" }
    }

    var rejected: [Rejection] = []
    var ignoredColumns: [String] = []
    /// Cases that may be people Lantern already holds (same surname and date of birth): told, not refused.
    var possibleDuplicates: [String] = []

    var isEmpty: Bool { cases.isEmpty && referrals.isEmpty && concerns.isEmpty }
    var canImport: Bool { rejected.isEmpty && !isEmpty }

    /// Checks every file against the rules and against what Lantern already holds.
    static func check(_ files: [File], req: Request) async throws -> RecordsImport {
        var result = RecordsImport()
        let today = req.today
        for file in files {
            let known = file.kind.columns.required + file.kind.columns.optional
            result.ignoredColumns += file.csv.header.filter { !$0.isEmpty && !known.contains($0) }.map { "\(file.name): \($0)" }
            result.rejected += file.csv.unreadable.map { Rejection(file: file.name, line: $0.line, reason: $0.reason) }
            let missing = file.kind.columns.required.filter { file.csv.index(of: $0) == nil }
            if !missing.isEmpty {
                result.rejected.append(Rejection(file: file.name, line: 1, reason: "the header has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column (columns found: \(file.csv.header.joined(separator: ", ")))"))
            }
            if file.csv.rows.isEmpty { result.rejected.append(Rejection(file: file.name, line: 0, reason: "the file has a header but no rows")) }
        }
        guard result.rejected.isEmpty else { return result }
        let caseFile = files.first { $0.kind == .cases }, referralFile = files.first { $0.kind == .referrals }, concernFile = files.first { $0.kind == .concerns }
        var caseRowByReference: [String: Int] = [:]
        if let caseFile { try await result.checkCases(caseFile, req: req, today: today, rowByReference: &caseRowByReference) }
        if let referralFile { try await result.checkReferrals(referralFile, req: req, today: today, caseRows: caseRowByReference) }
        if let concernFile { try await result.checkConcerns(concernFile, req: req, today: today, caseRows: caseRowByReference) }
        // In the order the files were given, line by line.
        let order = Dictionary(files.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        result.rejected.sort { (order[$0.file] ?? 0, $0.line) < (order[$1.file] ?? 0, $1.line) }
        return result
    }

    /// One row's cells by column name, trimmed.
    struct Cells {
        let file: CSVFile
        let row: CSVFile.Row
        subscript(_ name: String) -> String {
            file.index(of: name).map { row.fields[$0].trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        }
    }

    /// A past day in a column: nil with a reason when it is empty, unreadable or in the future.
    static func day(_ cells: Cells, _ column: String, today: Day, required: Bool, into reasons: inout [String]) -> Day? {
        let text = cells[column]
        if text.isEmpty {
            if required { reasons.append("\(column) is empty") }
            return nil
        }
        guard let day = Day(parsing: text) else {
            reasons.append("\(column) '\(text.prefix(40))' is not a date (use 2023-04-01 or 01/04/2023)")
            return nil
        }
        if day > today { reasons.append("\(column) \(day.iso) is in the future") }
        return day
    }

    /// A row's reference in the former system: present, short, and once in its file.
    static func formerReference(_ cells: Cells, seen: inout [String: Int], into reasons: inout [String]) -> String {
        let reference = cells["former_reference"]
        if reference.isEmpty { reasons.append("former_reference is empty") }
        else if reference.count > 60 { reasons.append("former_reference is longer than 60 characters") }
        else if let earlier = seen[reference.uppercased()] { reasons.append("former_reference \(reference) is also on line \(earlier)") }
        if !reference.isEmpty { seen[reference.uppercased()] = seen[reference.uppercased()] ?? cells.row.line }
        return reference
    }

    mutating func reject(_ file: File, _ line: Int, _ reasons: [String]) {
        rejected.append(Rejection(file: file.name, line: line, reason: reasons.joined(separator: "; ")))
    }

    /// A case named by a row: a row of this import (its former reference), a case moved in
    /// before (the same), or a Lantern reference such as CASE-2026-AB12.
    static func caseLink(_ text: String, caseRows: [String: Int], lookup: LookupKeys, on db: any Database) async throws -> CaseLink? {
        if let row = caseRows[text.uppercased()] { return .row(row) }
        if text.uppercased().hasPrefix("CASE-"), let c = try await SafeguardingCase.query(on: db).filter(\.$reference == text.uppercased()).first() {
            return .existing(c)
        }
        let index = FormerReference.index(text, kind: "case", lookup: lookup)
        return try await SafeguardingCase.query(on: db).filter(\.$formerReferenceIndex == index).first().map { .existing($0) }
    }
}
