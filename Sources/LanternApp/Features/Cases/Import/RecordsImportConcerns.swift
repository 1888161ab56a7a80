import Fluent
import Foundation
import LanternCore
import Vapor

extension RecordsImport {
    /// Statuses that come after triage, so they need its outcome.
    static let triagedStatuses: [ConcernStatus] = [.triaged, .caseOpened, .referredOut, .noFurtherAction]

    /// Each concern row through the staff concern form's checks (`ConcernIntake`), with the
    /// channel it came by, where it got to, and the case it led to.
    mutating func checkConcerns(_ file: File, req: Request, today: Day, caseRows: [String: Int]) async throws {
        var indexes: [String] = []
        var lines: [String: Int] = [:]
        var accepted: [(row: ConcernRow, index: String)] = []
        for row in file.csv.rows {
            let cells = Cells(file: file.csv, row: row)
            var reasons: [String] = []
            let reference = Self.formerReference(cells, seen: &lines, into: &reasons)
            let receivedOn = Self.day(cells, "received_on", today: today, required: true, into: &reasons)

            var form = ConcernIntake.Form()
            form.who = cells["who"]
            form.location = cells["location"]
            form.postcode = cells["postcode"]
            form.description = cells["description"]
            form.other_indicators = cells["other_indicators"]
            var own: Set<String> = []
            func code<E: CaseIterable & RawRepresentable>(_ column: String, _ type: E.Type, _ label: (E) -> String) -> String where E.RawValue == String {
                guard !cells[column].isEmpty else { return "" }
                guard let value: E = RecordsImportColumns.choice(cells[column], label) else {
                    reasons.append("\(column) '\(cells[column].prefix(40))' is not one of \(RecordsImportColumns.codes(type))")
                    own.insert(column)
                    return ""
                }
                return value.rawValue
            }
            form.subject = code("subject", ConcernSubject.self, \.label)
            form.age = code("age", AgeCategory.self, \.label)
            form.child_involved = code("child_involved", Answer.self, \.label)
            switch RecordsImportColumns.yesNo(cells["immediate_danger"]) {
            case true?: form.immediate_danger = "yes"
            case false?: form.immediate_danger = "no"
            case nil where !cells["immediate_danger"].isEmpty:
                reasons.append("immediate_danger '\(cells["immediate_danger"].prefix(20))' is not yes or no"); own.insert("immediate_danger")
            case nil: break
            }
            for id in RecordsImportColumns.list(cells["indicators"]) {
                if IndicatorCatalogue.byID[id] != nil { form.indicators.append(id) }
                else { reasons.append("indicators '\(id.prefix(40))' is not an indicator in the checklist (separate several with ;)") }
            }
            let intake = ConcernIntake(form, files: nil, publicForm: false)
            for item in intake.errors.items where !own.contains(item.field) { reasons.append("\(item.field): \(item.message)") }

            var channel = ConcernChannel.staff
            if !cells["channel"].isEmpty {
                if let given: ConcernChannel = RecordsImportColumns.choice(cells["channel"], \ConcernChannel.label) { channel = given }
                else { reasons.append("channel '\(cells["channel"].prefix(40))' is not one of \(RecordsImportColumns.codes(ConcernChannel.self))") }
            }
            let status: ConcernStatus? = RecordsImportColumns.choice(cells["status"], \ConcernStatus.label)
            if status == nil { reasons.append("status '\(cells["status"].prefix(40))' is not one of \(RecordsImportColumns.codes(ConcernStatus.self))") }
            var triage: TriageOutcome?
            if !cells["triage_outcome"].isEmpty {
                triage = RecordsImportColumns.choice(cells["triage_outcome"], \TriageOutcome.label)
                if triage == nil { reasons.append("triage_outcome '\(cells["triage_outcome"].prefix(40))' is not one of \(RecordsImportColumns.codes(TriageOutcome.self))") }
            } else if let status, Self.triagedStatuses.contains(status) {
                reasons.append("triage_outcome is empty; a concern whose status is \(status.rawValue) has been triaged")
            }
            if cells["triage_rationale"].count > 4000 { reasons.append("triage_rationale is longer than 4000 characters") }
            var link: CaseLink?
            if !cells["case_reference"].isEmpty {
                link = try await Self.caseLink(cells["case_reference"], caseRows: caseRows, lookup: req.lookupKeys, on: req.db)
                if link == nil { reasons.append("case_reference \(cells["case_reference"].prefix(60)) is neither in the cases file nor a case in Lantern") }
                if let status, ![.caseOpened, .closed].contains(status) { reasons.append("a concern that led to a case is case_opened or closed, not \(status.rawValue)") }
                if case .row(let index)? = link, let receivedOn, cases[index].openedOn < receivedOn {
                    reasons.append("its case was opened on \(cases[index].openedOn.iso), before the concern was received")
                }
            }
            guard reasons.isEmpty, let receivedOn, let status else { reject(file, row.line, reasons); continue }
            var checked = intake
            checked.channel = channel
            checked.secrets.triageRationale = cells["triage_rationale"]
            checked.secrets.formerReference = reference
            accepted.append((ConcernRow(line: row.line, formerReference: reference, intake: checked, receivedOn: receivedOn, status: status,
                                        triage: triage, link: link), FormerReference.index(reference, kind: "concern", lookup: req.lookupKeys)))
            indexes.append(accepted.last!.index)
        }
        let existing = try await FormerReference.existing(indexes, in: Concern.schema, on: req.db)
        for item in accepted {
            if existing[item.index] != nil { reject(file, item.row.line, ["former_reference \(item.row.formerReference) was moved in before; it is not moved in twice"]) }
            else { concerns.append(item.row) }
        }
    }
}
