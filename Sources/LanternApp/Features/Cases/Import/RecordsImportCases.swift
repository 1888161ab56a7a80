import Fluent
import Foundation
import LanternCore
import Vapor

extension RecordsImport {
    /// The case form's field for each column whose name differs.
    static let caseFormFields = ["types": "exploitation_types"]

    /// Each case row through the case form (checked as on the day it was opened), plus what only
    /// an old record has: its former reference, owner, consent and closure.
    mutating func checkCases(_ file: File, req: Request, today: Day, rowByReference: inout [String: Int]) async throws {
        let teams = try await Team.query(on: req.db).all()
        let people = try await User.query(on: req.db).filter(\.$isActive == true).all()
        let areas = try await PartnershipArea.names(on: req.db)
        var indexes: [String] = []
        var lines: [String: Int] = [:]
        for row in file.csv.rows {
            let cells = Cells(file: file.csv, row: row)
            var reasons: [String] = []
            let reference = Self.formerReference(cells, seen: &lines, into: &reasons)
            let openedOn = Self.day(cells, "opened_on", today: today, required: true, into: &reasons)

            var fields = CaseForm.Fields()
            for (column, value) in [("first_name", \CaseForm.Fields.first_name), ("last_name", \.last_name), ("aliases", \.aliases), ("nickname", \.nickname),
                                    ("date_of_birth", \.date_of_birth), ("nationality", \.nationality), ("second_nationality", \.second_nationality),
                                    ("phone", \.phone), ("email", \.email), ("address", \.address), ("interpreter_language", \.interpreter_language),
                                    ("area", \.area), ("uk_towns", \.uk_towns), ("overseas_countries", \.overseas_countries), ("summary", \.summary)] as [(String, WritableKeyPath<CaseForm.Fields, String>)] {
                fields[keyPath: value] = cells[column]
            }
            // An area matches the list whatever its case or spacing.
            fields.area = areas.first { ReturnValues.key($0) == ReturnValues.key(fields.area) } ?? fields.area
            var ownMessages: Set<String> = []
            func code<E: CaseIterable & RawRepresentable>(_ column: String, _ type: E.Type, label: (E) -> String) -> String where E.RawValue == String {
                let text = cells[column]
                if text.isEmpty { return "" }
                guard let value: E = RecordsImportColumns.choice(text, label) else {
                    reasons.append("\(column) '\(text.prefix(40))' is not one of \(RecordsImportColumns.codes(type))")
                    ownMessages.insert(column)
                    return ""
                }
                return value.rawValue
            }
            fields.age = code("age", AgeCategory.self, label: \.label)
            fields.under18_at_exploitation = code("under18_at_exploitation", Answer.self, label: \.label)
            fields.gender = code("gender", RecordedGender.self, label: \.label)
            fields.location = code("location", ExploitationLocation.self, label: \.label)
            var types: [String] = []
            for text in RecordsImportColumns.list(cells["exploitation_types"]) {
                if let type: ExploitationType = RecordsImportColumns.choice(text, \.label) { types.append(type.rawValue) }
                else {
                    reasons.append("exploitation_types '\(text.prefix(40))' is not one of \(RecordsImportColumns.codes(ExploitationType.self)) (separate several with ;)")
                    ownMessages.insert("exploitation_types")
                }
            }
            fields.types = types
            for column in ["county_lines", "willing_to_cooperate"] where !cells[column].isEmpty {
                guard let yes = RecordsImportColumns.yesNo(cells[column]) else { reasons.append("\(column) '\(cells[column].prefix(20))' is not yes or no"); continue }
                if column == "county_lines" { fields.county_lines = yes ? "yes" : "" } else { fields.willing_to_cooperate = yes ? "yes" : "" }
            }
            let team = teams.first { $0.name.lowercased() == cells["team"].lowercased() }
            if cells["team"].isEmpty { reasons.append("team is empty") }
            else if team == nil { reasons.append("team '\(cells["team"].prefix(60))' is not one of \(teams.map(\.name).sorted().joined(separator: ", "))") }
            fields.team = team?.id?.uuidString ?? ""
            // Checked as on the day the case began: a person under 18 then is a child's case now.
            var form = CaseForm(fields, today: openedOn ?? today)
            form.checkArea(in: areas)
            for item in form.errors.items {
                let column = Self.caseFormFields[item.field] ?? item.field
                if !ownMessages.contains(column) { reasons.append("\(column): \(item.message)") }
            }

            var ownerID: UUID?
            if !cells["owner_email"].isEmpty {
                if let owner = people.first(where: { $0.email.lowercased() == cells["owner_email"].lowercased() }), owner.can(.editCases) { ownerID = owner.id }
                else { reasons.append("owner_email '\(cells["owner_email"].prefix(80))' is not an active person who works on cases") }
            }
            var consent: (ConsentDecision, Day)?
            if !cells["nrm_consent"].isEmpty {
                if let decision: ConsentDecision = RecordsImportColumns.choice(cells["nrm_consent"], \.label) {
                    let on = Self.day(cells, "nrm_consent_on", today: today, required: false, into: &reasons) ?? openedOn
                    if let on, let openedOn, on < openedOn { reasons.append("nrm_consent_on \(on.iso) is before the case was opened") }
                    if decision != .notAsked, let on { consent = (decision, on) }
                } else {
                    reasons.append("nrm_consent '\(cells["nrm_consent"].prefix(40))' is not one of \(RecordsImportColumns.codes(ConsentDecision.self))")
                }
            }
            var closed: (Day, CaseClosureReason)?
            switch ReturnValues.key(cells["status"]) {
            case "", "open": break
            case "closed":
                let on = Self.day(cells, "closed_on", today: today, required: true, into: &reasons)
                let reason: CaseClosureReason? = RecordsImportColumns.choice(cells["closed_reason"], \.label)
                if cells["closed_reason"].isEmpty { reasons.append("closed_reason is empty; a closed case says why it closed") }
                else if reason == nil { reasons.append("closed_reason '\(cells["closed_reason"].prefix(40))' is not one of \(RecordsImportColumns.codes(CaseClosureReason.self))") }
                if let on, let openedOn, on < openedOn { reasons.append("closed_on \(on.iso) is before opened_on \(openedOn.iso)") }
                if let on, let reason { closed = (on, reason) }
            default:
                reasons.append("status '\(cells["status"].prefix(20))' is not open or closed")
            }
            guard reasons.isEmpty, let openedOn else { reject(file, row.line, reasons); continue }
            rowByReference[reference.uppercased()] = cases.count
            indexes.append(FormerReference.index(reference, kind: "case", lookup: req.lookupKeys))
            cases.append(CaseRow(line: row.line, formerReference: reference, form: form, openedOn: openedOn, ownerID: ownerID,
                                 closed: closed.map { (on: $0.0, reason: $0.1) }, consent: consent.map { (decision: $0.0, on: $0.1) }))
        }
        // A case moved in before is not moved in again.
        let existing = try await FormerReference.existing(indexes, in: SafeguardingCase.schema, on: req.db)
        for (row, index) in zip(cases, indexes) where existing[index] != nil {
            reject(file, row.line, ["former_reference \(row.formerReference) was moved in before; it is not moved in twice"])
        }
        let personIndexes = cases.compactMap { SafeguardingCase.personIndex($0.form.secrets, lookup: req.lookupKeys) }
        if !personIndexes.isEmpty {
            let held = Set(try await SafeguardingCase.query(on: req.db).filter(\.$personIndex ~~ personIndexes).all().compactMap(\.personIndex))
            for row in cases where SafeguardingCase.personIndex(row.form.secrets, lookup: req.lookupKeys).map(held.contains) == true {
                possibleDuplicates.append("\(file.name), line \(row.line) (\(row.formerReference)): a case with the same surname and date of birth is already in Lantern")
            }
        }
    }
}
