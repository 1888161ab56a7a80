/// The personal data the data-rights records hold, for the registry (`PersonalDataRegistry`).
/// They are the organisation's record of meeting its duties, so erasing a case keeps them.
enum PrivacyPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: SubjectAccessRequest.schema, subject: .requester, link: .itself,
                          erasure: .keep("the record that a request was answered")),
        PersonalDataTable(table: PrivacyRequest.schema, subject: .requester, link: .itself,
                          erasure: .keep("the record that a request was decided")),
        PersonalDataTable(table: Disclosure.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema),
                          erasure: .reseal(keeping: ["disclosed_on", "lawful_basis"])),
    ]
}
