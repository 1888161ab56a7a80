import Foundation

/// A supplier row from a CSV file, checked.
public struct SupplierImportRow: Sendable {
    public let line: Int
    public let name: String
    public let nameKey: String
    public let companyNumber: String?
    public let sectors: [Sector]
    public let countries: [String]
    public let turnover: TurnoverBand?
    public let statementURL: String?
}

/// Supplier CSV: `name` required; `company_number, sector, country, turnover_band,
/// statement_url` optional. Lists (several sectors or countries) are separated by `;`.
public enum SupplierImport {
    public static let requiredColumns = ["name"]
    public static let optionalColumns = ["company_number", "sector", "country", "turnover_band", "statement_url"]

    /// `byNumber` and `byName` are the suppliers already registered, keyed by company number
    /// and by ``OrganisationName/key(_:)``.
    public static func plan(_ file: CSVFile, byNumber: [String: (UUID, String)], byName: [String: (UUID, String)]) -> ImportPlan<SupplierImportRow> {
        var plan = ImportPlan<SupplierImportRow>()
        plan.encoding = file.encoding
        plan.ignoredColumns = file.header.filter { !$0.isEmpty && !(requiredColumns + optionalColumns).contains($0) }
        plan.rejected = file.unreadable.map { .init(line: $0.line, reason: "Line \($0.line) \($0.reason)") }
        plan.rowCount = file.rows.count + file.unreadable.count
        guard let nameColumn = file.index(of: "name") else {
            plan.rejected.insert(.init(line: 1, reason: "Line 1: the header has no 'name' column (columns found: \(file.header.joined(separator: ", ")))"), at: 0)
            return plan
        }
        let column = { (name: String) in file.index(of: name) }
        let (numberColumn, sectorColumn, countryColumn, turnoverColumn, urlColumn) =
            (column("company_number"), column("sector"), column("country"), column("turnover_band"), column("statement_url"))
        var seenNumbers: [String: Int] = [:], seenNames: [String: Int] = [:]

        for row in file.rows {
            func cell(_ index: Int?) -> String { index.map { row.fields[$0] } ?? "" }
            var reasons: [String] = []
            let name = cell(nameColumn)
            if name.isEmpty { reasons.append("name is empty") }
            else if name.count > 200 { reasons.append("name is longer than 200 characters") }
            var number: String?
            let rawNumber = cell(numberColumn)
            if !rawNumber.isEmpty {
                number = CompanyNumber.normalise(rawNumber)
                if number == nil { reasons.append("company_number '\(rawNumber)' is not a Companies House number (8 characters, such as 01234567 or SC123456)") }
            }
            var sectors: [Sector] = []
            for raw in ImportValue.list(cell(sectorColumn)) {
                if let sector = Sector(matching: raw) { sectors.append(sector) }
                else { reasons.append("sector '\(raw)' is not one of the registry's sectors") }
            }
            let countries = ImportValue.list(cell(countryColumn))
            if countries.contains(where: { $0.count > 80 }) { reasons.append("country is longer than 80 characters") }
            var turnover: TurnoverBand?
            let rawTurnover = cell(turnoverColumn)
            if !rawTurnover.isEmpty {
                turnover = TurnoverBand(matching: rawTurnover)
                if turnover == nil {
                    reasons.append("turnover_band '\(rawTurnover)' is not a band (\(TurnoverBand.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }
            var url: String?
            let rawURL = cell(urlColumn)
            if !rawURL.isEmpty {
                url = ImportValue.url(rawURL)
                if url == nil { reasons.append("statement_url '\(rawURL.prefix(80))' is not an http:// or https:// address") }
            }
            guard reasons.isEmpty else {
                plan.rejected.append(.init(line: row.line, reason: "Line \(row.line): " + reasons.joined(separator: "; ")))
                continue
            }
            let key = OrganisationName.key(name)
            let parsed = SupplierImportRow(line: row.line, name: name, nameKey: key, companyNumber: number, sectors: sectors,
                                           countries: countries, turnover: turnover, statementURL: url)
            if let number, let existing = byNumber[number] {
                plan.duplicates.append(.init(row: parsed, match: .existing(id: existing.0, name: existing.1), reason: "same company number \(number)"))
            } else if let number, let line = seenNumbers[number] {
                plan.duplicates.append(.init(row: parsed, match: .earlierLine(line), reason: "same company number \(number)"))
            } else if let existing = byName[key] {
                plan.duplicates.append(.init(row: parsed, match: .existing(id: existing.0, name: existing.1), reason: "same name"))
            } else if let line = seenNames[key] {
                plan.duplicates.append(.init(row: parsed, match: .earlierLine(line), reason: "same name"))
            } else {
                plan.newRows.append(parsed)
            }
            if let number, seenNumbers[number] == nil { seenNumbers[number] = row.line }
            if seenNames[key] == nil { seenNames[key] = row.line }
        }
        plan.rejected.sort { $0.line < $1.line }
        return plan
    }
}
