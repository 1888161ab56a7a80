import Fluent
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
    /// Partner organisations' named contacts.
    case partnerContact
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
    /// A pair of columns naming the owner's kind and id, with the table each kind lives in.
    case owner(kind: String, id: String, tables: [String: String])

    /// The column that holds the parent's id, and the kind value that picks `parent`, if any.
    func reference(to parent: String) -> (column: String, kind: (column: String, value: String)?)? {
        switch self {
        case .itself: return nil
        case .column(let column, let table): return table == parent ? (column, nil) : nil
        case .owner(let kind, let id, let tables):
            return tables.sorted { $0.key < $1.key }.first { $0.value == parent }.map { (id, (kind, $0.key)) }
        }
    }

    var parents: [String] {
        switch self {
        case .itself: []
        case .column(_, let table): [table]
        case .owner(_, _, let tables): tables.values.sorted()
        }
    }
}

/// What erasing the person does to a row.
enum ErasureRule: Sendable, Equatable {
    case delete
    /// Sealed content is replaced by `PersonalDataTable.erasedContent` under a new data key, blind
    /// indexes and the `clearing` columns are emptied, and the `keeping` clear columns stay for
    /// the statistics.
    case reseal(keeping: [String], clearing: [String] = [])
    /// Kept, with the reason: the record is someone else's, or the law requires it.
    case keep(String)
}

/// Why a record is being erased: the rules differ where a third party's data is involved.
enum ErasurePurpose: Sendable {
    /// The person asked (UK GDPR Art. 17): what is someone else's, like a reporter's identity, stays.
    case request
    /// The retention schedule says the record has been kept long enough: everything goes.
    case retention
}

/// What an erasure works with, passed to the hooks features declare.
struct ErasureContext: Sendable {
    let db: any Database
    let cipher: FieldCipher
    let lookup: LookupKeys
    let now: Date
    let purpose: ErasurePurpose
}

/// A person's detail that can be erased or corrected on its own, such as one phone number.
struct PersonalField: Sendable, Equatable {
    let key: String
    let label: String
}

/// One part of a record the person may ask to erase alone: a field of it, or one linked record.
struct ErasablePart: Sendable, Equatable {
    enum Target: Sendable, Equatable {
        case field(String)
        case record(table: String, id: UUID)
    }
    let target: Target
    let label: String

    /// As a form value: `field:phone` or `record:case_notes:<id>`.
    var key: String {
        switch target {
        case .field(let name): "field:\(name)"
        case .record(let table, let id): "record:\(table):\(id.uuidString)"
        }
    }

    init(_ target: Target, _ label: String) { self.target = target; self.label = label }

    static func parse(_ key: String) -> Target? {
        let parts = key.split(separator: ":", maxSplits: 2).map(String.init)
        switch (parts.first, parts.count) {
        case ("field", 2): return .field(parts[1])
        case ("record", 3): return UUID(uuidString: parts[2]).map { .record(table: parts[1], id: $0) }
        default: return nil
        }
    }
}

/// How a root record's single fields are erased or corrected, declared by the feature that owns it.
struct FieldEditor: Sendable {
    /// The fields the person may ask to erase or correct, in the order a form lists them.
    let fields: [PersonalField]
    /// Every part of one record that can be erased alone: its fields, then its linked records.
    let parts: @Sendable (ErasureContext, UUID) async throws -> [ErasablePart]
    /// Sets one field of the record: `nil` erases it, a value corrects it.
    let set: @Sendable (ErasureContext, UUID, _ field: String, _ value: String?) async throws -> Void
}

/// Which records a retention class covers, and how to find those whose period has run out.
struct RetentionRoot: Sendable {
    let record: RetainedRecord
    /// The table the expired ids are rows of; the eraser walks from there.
    let table: String
    /// How the audit log names each record the purge removes.
    let auditEntity: AuditEntity
    let expired: @Sendable (any Database, _ cutoff: Day) async throws -> [UUID]
    /// Said in the purge report, such as which records the rule passes over.
    var note = ""
    /// What the feature removes itself once the personal data is gone (the business records).
    var finish: (@Sendable (any Database, [UUID]) async throws -> Void)?
    /// Runs once the purge has committed (dropping figures worked out from what went).
    var afterCommit: (@Sendable (Application) -> Void)?
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
    /// The rule under the retention schedule, where it differs from `erasure`.
    var onRetention: ErasureRule?
    /// What a resealed row's content becomes: empty, or what must stay (a disclosure's recipient).
    var erasedContent: (@Sendable (ErasureContext, UUID) async throws -> any Encodable & Sendable)?
    /// Set to the time of erasure, so pages show the record as erased and searches pass it by.
    var erasedAtColumn: String?
    /// Runs after the rows are erased, inside the same transaction (telling a reporter what went).
    var afterErasure: (@Sendable (ErasureContext, [UUID]) async throws -> Void)?
    /// Finds the person's rows here for a subject access request.
    var find: PersonFinder?
    /// Single fields and linked records that can be erased or corrected on their own.
    var editor: FieldEditor?

    func rule(for purpose: ErasurePurpose) -> ErasureRule {
        purpose == .retention ? (onRetention ?? erasure) : erasure
    }
}

/// Every table that holds personal data, in one place. Features declare their tables next to
/// their models; `configure` gathers them. Key rotation walks it; a test checks it against the
/// live schema, so a new sealed table cannot be left out.
struct PersonalDataRegistry: Sendable {
    let tables: [PersonalDataTable]
    let retention: [RetentionRoot]

    init(_ tables: [PersonalDataTable], retention: [RetentionRoot] = []) {
        precondition(Set(tables.map(\.table)).count == tables.count, "a table is registered twice")
        precondition(Set(retention.map(\.record)).count == retention.count, "a retention class has two roots")
        self.tables = tables.sorted { $0.table < $1.table }
        self.retention = retention.sorted { $0.record.rawValue < $1.record.rawValue }
    }

    /// Tables whose rows link to `parent`, with the column (and owner kind) that does it.
    func children(of parent: String) -> [(table: PersonalDataTable, column: String, kind: (column: String, value: String)?)] {
        tables.compactMap { entry in entry.link.reference(to: parent).map { (entry, $0.column, $0.kind) } }
    }

    /// How many links lead from a table up to a record that stands alone: parents come first
    /// when a search walks the registry, so a child can look for rows of what was found.
    func depth(of table: String) -> Int {
        var seen: Set<String> = [table]
        func walk(_ name: String) -> Int {
            let parents = (self[name]?.link.parents ?? []).filter { seen.insert($0).inserted }
            return parents.map { 1 + walk($0) }.max() ?? 0
        }
        return walk(table)
    }

    /// Tables whose rows carry a data key wrapped by the organisation key.
    var wrappedKeyTables: [String] { tables.filter(\.ownKey).map(\.table) }

    subscript(table: String) -> PersonalDataTable? { tables.first { $0.table == table } }

    /// Platform's own: the lookup secret, wrapped by the organisation key.
    static let platform: [PersonalDataTable] = [
        PersonalDataTable(table: KeyStoreEntry.schema, subject: .organisation, link: .itself, erasure: .keep("the organisation's own secret")),
        // A form kept for an hour for someone signed out while typing: it may hold anything a
        // form does, and is deleted when sent, discarded or out of time.
        PersonalDataTable(table: KeptForm.schema, subject: .staff, link: .itself, erasure: .delete),
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
