import Foundation
import LanternCore
import Vapor

/// Whose personal data a table holds (`shared/docs/domain/security.md` §2): the person a case
/// or concern is about, someone else in it, or a person Lantern keeps a record of for its own work.
enum DataSubject: String, Sendable {
    /// The potential victim a case or concern is about.
    case person
    /// Whoever reported a concern: a third party to the person.
    case reporter
    /// Council staff, as accounts or as training records.
    case staff
    /// Suppliers' named contacts.
    case supplierContact
    /// Someone exercising their data rights.
    case requester
    /// No one: the organisation's own secrets.
    case organisation
}

/// How a row reaches the case, concern or person it belongs to.
enum PersonLink: Sendable, Equatable {
    /// The row is itself the record.
    case itself
    /// A column holding the id of a row in another table.
    case column(String, of: String)
}

/// What erasing the person does to a row.
enum ErasureRule: Sendable, Equatable {
    case delete
    /// Sealed content is replaced by empty content under a new data key, blind indexes are
    /// cleared, and the listed clear columns stay for the statistics.
    case reseal(keeping: [String])
    /// Kept, with the reason: the record is someone else's, or the law requires it.
    case keep(String)
}

/// One table that holds personal data, declared by the feature that owns it.
struct PersonalDataTable: Sendable {
    let table: String
    let subject: DataSubject
    let link: PersonLink
    /// Sealed under the row's own data key: a `wrapped_key` column and a `sealed` column.
    var ownKey = true
    /// Columns sealed under another record's data key, with that record's table.
    var sealedUnderParent: [String: String] = [:]
    /// Keyed hashes for exact-match search (`LookupKeys.blindIndex`).
    var blindIndexes: [String] = []
    /// Clear columns that name or contact someone (kept clear to be listed and searched).
    var clearPersonalColumns: [String] = []
    var retention: RetainedRecord?
    let erasure: ErasureRule
}

/// Every table that holds personal data, in one place. Features declare their tables next to
/// their models; `configure` gathers them. Key rotation walks it; a test checks it against the
/// live schema, so a new sealed table cannot be left out.
struct PersonalDataRegistry: Sendable {
    let tables: [PersonalDataTable]

    init(_ tables: [PersonalDataTable]) {
        precondition(Set(tables.map(\.table)).count == tables.count, "a table is registered twice")
        self.tables = tables.sorted { $0.table < $1.table }
    }

    /// Tables whose rows carry a data key wrapped by the organisation key.
    var wrappedKeyTables: [String] { tables.filter(\.ownKey).map(\.table) }

    subscript(table: String) -> PersonalDataTable? { tables.first { $0.table == table } }

    /// Platform's own: the lookup secret, wrapped by the organisation key.
    static let platform: [PersonalDataTable] = [
        PersonalDataTable(table: KeyStoreEntry.schema, subject: .organisation, link: .itself, erasure: .keep("the organisation's own secret")),
        PersonalDataTable(table: User.schema, subject: .staff, link: .itself, ownKey: false, clearPersonalColumns: ["display_name", "email"],
                          erasure: .keep("an account is deactivated, not erased, so the audit log still names who acted")),
    ]
}

extension Application {
    private struct RegistryKey: StorageKey { typealias Value = PersonalDataRegistry }

    /// The registry `configure` assembled from the features.
    var personalData: PersonalDataRegistry {
        get { storage[RegistryKey.self] ?? PersonalDataRegistry(PersonalDataRegistry.platform) }
        set { storage[RegistryKey.self] = newValue }
    }
}
