import Fluent
import Foundation
import LanternCore

/// Finds a person's records for a subject access request, by walking the registry: each table
/// that holds personal data declares how to find the person in it (`PersonalDataTable.find`).
/// Parents are searched before the tables that link to them, so a concern linked to a case found
/// is found too. Names match word by word; blind indexes find exact surname and date of birth,
/// and Home Office references, without opening anything.
enum PersonSearch {
    struct Query: Sendable {
        var names: [String]
        var dateOfBirth: Day?
        var references: [String]

        /// The first name asked for whose every word appears among the words of `text`.
        func matchingName(in text: String) -> String? { PersonSearch.matches(names, in: text) }
    }

    /// One record found, with its content as the copy will show it.
    struct Found: Codable, Sendable {
        let kind: String
        let id: String
        let title: String
        let date: String
        let match: String
        let lines: [String]
        /// Information that is another person's (a reporter's account and messages): left out of
        /// the copy unless the reviewer adds a line back. Optional so earlier searches still open.
        var otherPeople: [String]? = nil
    }

    /// What a finder works with, and the ids of what tables searched earlier found.
    struct Context: Sendable {
        let db: any Database
        let cipher: FieldCipher
        let lookup: LookupKeys
        let foundIDs: Set<UUID>
    }

    static func normalised(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }

    /// A name matches when every word of it appears among the record's name words.
    static func matches(_ wanted: [String], in text: String) -> String? {
        let words = Set(normalised(text).split(separator: " ").map(String.init))
        for name in wanted {
            let parts = normalised(name).split(separator: " ").map(String.init)
            if !parts.isEmpty && parts.allSatisfy(words.contains) { return name }
        }
        return nil
    }

    static func run(_ q: Query, on db: any Database, cipher: FieldCipher, lookup: LookupKeys, registry: PersonalDataRegistry) async throws -> [Found] {
        var found: [Found] = []
        let ordered = registry.tables.filter { $0.find != nil }.sorted { (registry.depth(of: $0.table), $0.table) < (registry.depth(of: $1.table), $1.table) }
        for entry in ordered {
            let context = Context(db: db, cipher: cipher, lookup: lookup, foundIDs: Set(found.compactMap { UUID(uuidString: $0.id) }))
            found += try await entry.find!(q, context)
        }
        return found
    }

    /// A date as the person reads it ("14 March 1990"), whatever form it was stored in.
    static func plain(_ stored: String) -> String { Day(parsing: stored)?.long ?? stored }
}

/// Finds the person's rows in one table, with their content in plain words.
typealias PersonFinder = @Sendable (PersonSearch.Query, PersonSearch.Context) async throws -> [PersonSearch.Found]
