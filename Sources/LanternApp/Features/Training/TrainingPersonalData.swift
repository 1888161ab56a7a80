/// Staff training records, for the registry (`PersonalDataRegistry`).
enum TrainingPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: StaffMember.schema, subject: .staff, link: .itself, ownKey: false,
                          clearPersonalColumns: ["staff_number", "name", "email"], retention: .trainingRecords, erasure: .delete),
    ]
}
