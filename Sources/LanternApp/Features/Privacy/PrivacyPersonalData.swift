import Fluent
import Foundation

/// The personal data the data-rights records hold, for the registry (`PersonalDataRegistry`).
/// They are the organisation's record of meeting its duties, so erasing a case keeps them.
enum PrivacyPersonalData {
    static let tables: [PersonalDataTable] = [
        PersonalDataTable(table: SubjectAccessRequest.schema, subject: .requester, link: .itself,
                          erasure: .keep("the record that a request was answered")),
        PersonalDataTable(table: PrivacyRequest.schema, subject: .requester, link: .itself,
                          erasure: .keep("the record that a request was decided")),
        // Who the data went to stays, so they can be told of the erasure (UK GDPR Art. 19); what went does not.
        PersonalDataTable(table: Disclosure.schema, subject: .person, link: .column("case_id", of: SafeguardingCase.schema),
                          erasure: .reseal(keeping: ["disclosed_on", "lawful_basis"]), erasedContent: { context, id in
                              let recipient = try await Disclosure.find(id, on: context.db).map { try $0.open(with: context.cipher).recipient } ?? ""
                              return Disclosure.Secrets(recipient: recipient, what: "Erased with the case")
                          }),
    ]
}
