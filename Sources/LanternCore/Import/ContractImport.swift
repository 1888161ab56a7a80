import Foundation

/// A contract row from a CSV file, checked, with its supplier found.
public struct ContractImportRow: Sendable {
    public let line: Int
    public let title: String
    public let supplierID: UUID
    public let value: Money?
    public let annualValue: Money?
    public let start: Day?
    public let end: Day?
    public let category: String?
    public let businessCritical: Bool
    /// ``OrganisationName/key(_:)`` of the title.
    public let titleKey: String

    /// Same supplier and same title (as names compare) is the same contract.
    public var key: String { supplierID.uuidString + "|" + titleKey }
}

/// Contract CSV: `title, supplier` required (supplier by name or company number);
/// `value, annual_value, start_date, end_date, category, business_critical` optional.
public enum ContractImport {
    public static let requiredColumns = ["title", "supplier"]
    public static let optionalColumns = ["value", "annual_value", "start_date", "end_date", "category", "business_critical"]

    public static func key(supplierID: UUID, title: String) -> String {
        supplierID.uuidString + "|" + OrganisationName.key(title)
    }

    /// `suppliersByNumber` and `suppliersByName` find the supplier; `existing` holds the
    /// contracts already registered, keyed by ``key(supplierID:title:)``.
    public static func plan(_ file: CSVFile, suppliersByNumber: [String: (UUID, String)], suppliersByName: [String: (UUID, String)],
                            existing: [String: (UUID, String)]) -> ImportPlan<ContractImportRow> {
        var plan = ImportPlan<ContractImportRow>()
        plan.encoding = file.encoding
        plan.ignoredColumns = file.header.filter { !$0.isEmpty && !(requiredColumns + optionalColumns).contains($0) }
        plan.rejected = file.unreadable.map { .init(line: $0.line, reason: "Line \($0.line) \($0.reason)") }
        plan.rowCount = file.rows.count + file.unreadable.count
        let missing = requiredColumns.filter { file.index(of: $0) == nil }
        guard missing.isEmpty else {
            plan.rejected.insert(.init(line: 1, reason: "Line 1: the header has no \(missing.map { "'\($0)'" }.joined(separator: " or ")) column (columns found: \(file.header.joined(separator: ", ")))"), at: 0)
            return plan
        }
        let column = { (name: String) in file.index(of: name) }
        let titleColumn = column("title"), supplierColumn = column("supplier")
        let valueColumn = column("value"), annualColumn = column("annual_value"), startColumn = column("start_date")
        let endColumn = column("end_date"), categoryColumn = column("category"), criticalColumn = column("business_critical")
        var seen: [String: Int] = [:]

        for row in file.rows {
            func cell(_ index: Int?) -> String { index.map { row.fields[$0] } ?? "" }
            var reasons: [String] = []
            let title = cell(titleColumn)
            if title.isEmpty { reasons.append("title is empty") } else if title.count > 300 { reasons.append("title is longer than 300 characters") }
            let supplierRef = cell(supplierColumn)
            var supplier: (UUID, String)?
            if supplierRef.isEmpty {
                reasons.append("supplier is empty")
            } else {
                supplier = CompanyNumber.normalise(supplierRef).flatMap { suppliersByNumber[$0] } ?? suppliersByName[OrganisationName.key(supplierRef)]
                if supplier == nil { reasons.append("no supplier is registered with the name or company number '\(supplierRef)'; import or add the supplier first") }
            }
            func money(_ index: Int?, _ name: String) -> Money? {
                let raw = cell(index)
                guard !raw.isEmpty else { return nil }
                guard let value = Money(parsing: raw) else { reasons.append("\(name) '\(raw)' is not an amount in pounds (such as 25000 or £25,000.00)"); return nil }
                return value
            }
            func day(_ index: Int?, _ name: String) -> Day? {
                let raw = cell(index)
                guard !raw.isEmpty else { return nil }
                guard let value = Day(parsing: raw) else { reasons.append("\(name) '\(raw)' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"); return nil }
                return value
            }
            let value = money(valueColumn, "value"), annual = money(annualColumn, "annual_value")
            let start = day(startColumn, "start_date"), end = day(endColumn, "end_date")
            if let start, let end, end < start { reasons.append("end_date \(end.iso) is before start_date \(start.iso)") }
            if let value, let annual, annual > value { reasons.append("annual_value is more than the total value") }
            let category = cell(categoryColumn)
            if category.count > 200 { reasons.append("category is longer than 200 characters") }
            let rawCritical = cell(criticalColumn)
            let critical = ImportValue.flag(rawCritical)
            if critical == nil { reasons.append("business_critical '\(rawCritical)' must be yes or no") }

            guard reasons.isEmpty, let supplier else {
                plan.rejected.append(.init(line: row.line, reason: "Line \(row.line): " + reasons.joined(separator: "; ")))
                continue
            }
            let parsed = ContractImportRow(line: row.line, title: title, supplierID: supplier.0, value: value, annualValue: annual,
                                           start: start, end: end, category: category.isEmpty ? nil : category,
                                           businessCritical: (critical ?? nil) ?? false, titleKey: OrganisationName.key(title))
            if let match = existing[parsed.key] {
                plan.duplicates.append(.init(row: parsed, match: .existing(id: match.0, name: match.1), reason: "same title and supplier"))
            } else if let line = seen[parsed.key] {
                plan.duplicates.append(.init(row: parsed, match: .earlierLine(line), reason: "same title and supplier"))
            } else {
                plan.newRows.append(parsed)
                seen[parsed.key] = row.line
            }
        }
        plan.rejected.sort { $0.line < $1.line }
        return plan
    }
}
