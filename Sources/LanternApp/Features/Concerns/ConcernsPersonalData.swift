/// The personal data a concern holds, for the registry (`PersonalDataRegistry`).
enum ConcernsPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: Concern.schema, subject: .person, link: .itself, retention: .concernsNoFurtherAction,
                          erasure: .reseal(keeping: ["channel", "received_at", "subject_kind", "age_category", "child_involved", "routes", "triage_outcome"])),
        // The reporter's identity is theirs, not the person's: kept when the person's case is erased.
        PersonalDataTable(table: ConcernReporter.schema, subject: .reporter, link: .column("concern_id", of: Concern.schema),
                          retention: .anonymousReports, erasure: .keep("the reporter's own data, not the person's")),
        PersonalDataTable(table: ConcernMessage.schema, subject: .person, link: .column("concern_id", of: Concern.schema),
                          retention: .concernsNoFurtherAction, erasure: .delete),
        PersonalDataTable(table: EvidenceFile.schema, subject: .person, link: .column("owner_id", of: "cases or concerns, by owner_type"),
                          retention: .closedCases, erasure: .delete),
        // The file's bytes, sealed under the file record's key.
        PersonalDataTable(table: EvidenceChunk.schema, subject: .person, link: .column("file_id", of: EvidenceFile.schema), ownKey: false,
                          sealedUnderParent: ["sealed": EvidenceFile.schema], retention: .closedCases, erasure: .delete),
    ]
}
