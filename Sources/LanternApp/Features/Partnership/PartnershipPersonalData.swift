import Fluent
import Foundation
import LanternCore

/// Partner organisations' named contacts, and the pseudonymous keys in their returns, for the
/// registry (`PersonalDataRegistry`). A return's records hold no name, date of birth or reference.
enum PartnershipPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: PartnerOrganisation.schema, subject: .partnerContact, link: .itself, ownKey: false,
                          clearPersonalColumns: ["contact_name", "contact_email", "contact_phone"],
                          erasure: .keep("The organisation stays on the register; its contact is corrected or replaced by editing it."),
                          find: findContacts),
        // A shared key is pseudonymous personal data (UK GDPR recital 26): the partners who agreed
        // it can tell whose it is, Lantern cannot. So a person's request is met at its source.
        PersonalDataTable(table: DataReturnRecord.schema, subject: .person, link: .itself, ownKey: false, clearPersonalColumns: ["shared_key"],
                          erasure: .keep("Pseudonymous: only the partner that made the key can tell whose it is. The partner erases or corrects it in its own records and withdraws and sends the return again.")),
    ]

    @Sendable static func findContacts(_ q: PersonSearch.Query, _ context: PersonSearch.Context) async throws -> [PersonSearch.Found] {
        try await PartnerOrganisation.query(on: context.db).sort(\.$name).sort(\.$id).all()
            .filter { q.matchingName(in: $0.contactName) != nil }
            .map { p in
                PersonSearch.Found(kind: "Partner contact", id: p.id!.uuidString, title: "Contact at \(p.name)", date: "", match: "name",
                                   lines: ["Name: \(p.contactName)", "Email: \(p.contactEmail)", "Phone: \(p.contactPhone)", "Organisation: \(p.name)"])
            }
    }

    /// Meeting minutes and decisions may name people, so they are sealed under their own key;
    /// they are the partnership's record of its work, not a record about one person.
    static let meetings: [PersonalDataTable] = [
        PersonalDataTable(table: PartnershipMeeting.schema, subject: .person, link: .itself,
                          erasure: .keep("Minutes are the partnership's record; a person's details in them are corrected by editing the minutes.")),
    ]
}
