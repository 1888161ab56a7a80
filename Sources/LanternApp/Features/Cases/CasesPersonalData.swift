/// The personal data a case holds, for the registry (`PersonalDataRegistry`). Erasure keeps
/// the coarse columns the partnership statistics count, which name no one.
enum CasesPersonalData {
    static let statisticsColumns = ["opened_at", "closed_at", "age_category", "under18_at_exploitation", "gender", "nationality",
                                    "second_nationality", "exploitation_types", "county_lines", "exploitation_location"]

    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: SafeguardingCase.schema, subject: .person, link: .itself, blindIndexes: ["person_index"],
                          retention: .closedCases, erasure: .reseal(keeping: statisticsColumns)),
        PersonalDataTable(table: CaseNote.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema),
                          retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseTask.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema),
                          retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseMarker.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema),
                          retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseConsent.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema), ownKey: false,
                          sealedUnderParent: ["withdrawal_method_sealed": SafeguardingCase.schema], retention: .closedCases, erasure: .delete),
        PersonalDataTable(table: CaseAction.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema),
                          retention: .closedCases, erasure: .delete),
        // Referrals stay counted (kind, dates, outcomes); their reference and notes go.
        PersonalDataTable(table: Notification.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema),
                          blindIndexes: ["reference_index"], retention: .closedCases,
                          erasure: .reseal(keeping: ["kind", "state", "started_on", "submitted_on", "rg_decision_on", "cg_decision_on", "rg_positive", "cg_positive"])),
        PersonalDataTable(table: NotificationTransition.schema, subject: .person, link: .column("notification_id", of: Notification.schema),
                          retention: .closedCases, erasure: .reseal(keeping: ["from_state", "to_state", "on_day"])),
    ]
}
