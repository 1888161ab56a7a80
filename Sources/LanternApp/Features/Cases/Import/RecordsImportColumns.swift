import Foundation
import LanternCore

/// The three files a council moves its old records in with, their columns and templates.
/// Values are codes or the labels Lantern shows, in any case ("under_18", "Under 18").
enum RecordsImportColumns {
    enum Kind: String, CaseIterable, Sendable {
        case cases, referrals, concerns

        var fileLabel: String {
            switch self {
            case .cases: "Cases"
            case .referrals: "Referrals and decisions"
            case .concerns: "Concerns"
            }
        }

        var columns: (required: [String], optional: [String]) {
            switch self {
            case .cases:
                (["former_reference", "opened_on", "first_name", "last_name", "age", "gender", "nationality", "exploitation_types", "location", "team"],
                 ["date_of_birth", "aliases", "nickname", "under18_at_exploitation", "second_nationality", "phone", "email", "address",
                  "interpreter_language", "county_lines", "area", "uk_towns", "overseas_countries", "summary", "willing_to_cooperate", "owner_email",
                  "nrm_consent", "nrm_consent_on", "status", "closed_on", "closed_reason"])
            case .referrals:
                (["case_reference", "kind"],
                 ["started_on", "submitted_on", "home_office_reference", "rg_decision", "rg_decision_on", "cg_decision", "cg_decision_on",
                  "outcome", "outcome_on"])
            case .concerns:
                (["former_reference", "received_on", "subject", "child_involved", "immediate_danger", "location", "description", "status"],
                 ["channel", "age", "who", "postcode", "indicators", "other_indicators", "triage_outcome", "triage_rationale", "case_reference"])
            }
        }

        /// The header and example rows of the template download.
        var template: [[String]] {
            let header = columns.required + columns.optional
            func row(_ values: [String: String]) -> [String] { header.map { values[$0] ?? "" } }
            switch self {
            case .cases:
                return [header, row(["former_reference": "SG-2023-0142", "opened_on": "2023-06-14", "first_name": "Unknown", "last_name": "Unknown",
                                     "age": "adult", "gender": "male", "nationality": "Albanian", "exploitation_types": "forced_to_work; wages_taken",
                                     "location": "uk", "uk_towns": "Unknown", "team": "Adult Social Care", "nrm_consent": "given",
                                     "nrm_consent_on": "2023-06-20", "status": "closed", "closed_on": "2024-02-01", "closed_reason": "support_complete"])]
            case .referrals:
                return [header, row(["case_reference": "SG-2023-0142", "kind": "nrm", "started_on": "2023-06-20", "submitted_on": "2023-06-21",
                                     "home_office_reference": "NRM-2023-000000", "rg_decision": "positive", "rg_decision_on": "2023-06-27",
                                     "cg_decision": "positive", "cg_decision_on": "2023-11-30", "outcome": "closed", "outcome_on": "2024-02-01"])]
            case .concerns:
                return [header, row(["former_reference": "C-2023-881", "received_on": "2023-06-12", "subject": "person", "child_involved": "no",
                                     "immediate_danger": "no", "location": "Car wash, High Street", "description": "Workers sleeping on site",
                                     "channel": "public_named", "age": "adult", "status": "case_opened", "triage_outcome": "open_case",
                                     "case_reference": "SG-2023-0142"])]
            }
        }
    }

    /// The value a column names, by code or by label; nil when it names none.
    static func choice<E: CaseIterable & RawRepresentable>(_ text: String, _ label: (E) -> String) -> E? where E.RawValue == String {
        let key = ReturnValues.key(text)
        guard !key.isEmpty else { return nil }
        return E.allCases.first { ReturnValues.key($0.rawValue) == key || ReturnValues.key(label($0)) == key }
    }

    static func codes<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> String where E.RawValue == String {
        E.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// "yes", "y", "true", "1" and their opposites; nil for anything else.
    static func yesNo(_ text: String) -> Bool? {
        switch ReturnValues.key(text) {
        case "yes", "y", "true", "1": true
        case "no", "n", "false", "0": false
        default: nil
        }
    }

    /// Several values in one cell, separated by semicolons (commas are kept for the text).
    static func list(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
