/// Evidence files and their bytes, for the registry (`PersonalDataRegistry`). A file belongs to
/// whatever record its owner kind names; `configure` says which table each kind lives in.
enum EvidencePersonalData {
    static func tables(owners: [EvidenceFile.Owner: String]) -> [PersonalDataTable] { [
        PersonalDataTable(table: EvidenceFile.schema, subject: .person,
                          link: .owner(kind: "owner_type", id: "owner_id", tables: Dictionary(uniqueKeysWithValues: owners.map { ($0.key.rawValue, $0.value) })),
                          retention: .closedCases, erasure: .delete),
        // The file's bytes, sealed under the file record's key.
        PersonalDataTable(table: EvidenceChunk.schema, subject: .person, link: .column("file_id", of: EvidenceFile.schema), ownKey: false,
                          sealedUnderParent: ["sealed": EvidenceFile.schema], retention: .closedCases, erasure: .delete),
    ] }
}
