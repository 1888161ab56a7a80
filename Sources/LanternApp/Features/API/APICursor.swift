import Fluent
import Foundation
import LanternCore
import SQLKit

/// Where a page ended, handed back as `next_cursor`: the sort key and id of its last row, so
/// the next page starts after it however many rows were added in between.
struct APICursor: Equatable {
    let key: String
    let id: UUID

    var text: String {
        "\(key)\u{1F}\(id.uuidString)".utf8.base64URLEncoded
    }

    /// Reads a cursor, or refuses it as a problem naming the parameter.
    static func read(_ text: String?) throws -> APICursor? {
        guard let text, !text.isEmpty else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8),
              let split = decoded.lastIndex(of: "\u{1F}"), let id = UUID(uuidString: String(decoded[decoded.index(after: split)...])) else {
            throw APIProblem(.badRequest, title: "The cursor cannot be used", "Pass the next_cursor of the page before, unchanged.",
                             errors: [.init(field: "cursor", detail: "not a cursor Lantern made")])
        }
        return APICursor(key: String(decoded[..<split]), id: id)
    }
}

/// A page's size: 50 unless asked, never more than 200.
enum APIPage {
    static func limit(_ asked: Int?) throws -> Int {
        guard let asked else { return 50 }
        guard (1...200).contains(asked) else {
            throw APIProblem(.badRequest, title: "The limit cannot be used", errors: [.init(field: "limit", detail: "must be from 1 to 200")])
        }
        return asked
    }
}

extension QueryBuilder where Model.IDValue == UUID {
    /// Rows after `cursor` in (key, id) order, one more than `limit` so the caller can tell
    /// whether another page follows. Rows added between calls never shift a page.
    func page(after cursor: APICursor?, by key: KeyPath<Model, FieldProperty<Model, String>>, limit: Int) -> Self {
        if let cursor {
            group(.or) { $0.filter(key > cursor.key).group(.and) { $0.filter(key == cursor.key).filter(\._$id > cursor.id) } }
        }
        return sort(key).sort(\._$id).limit(limit + 1)
    }
}

extension APICursor {
    /// The page's rows and the cursor for the next page, from rows read by `page(after:by:limit:)`.
    static func split<Row>(_ rows: [Row], limit: Int, key: (Row) -> (String, UUID)) -> (rows: ArraySlice<Row>, next: String?) {
        let page = rows.prefix(limit)
        guard rows.count > limit, let last = page.last else { return (page, nil) }
        let (text, id) = key(last)
        return (page, APICursor(key: text, id: id).text)
    }
}

/// An item of a paged list that reads itself from its row, with the column its list is sorted by.
protocol APIListItem: PlainRow {
    static var keyColumn: String { get }
}

/// A listed item with the id and sort key its page's cursor is made from.
struct APIListed<Item: APIListItem>: PlainRow {
    static var columnNames: [String] { Item.columnNames }
    let id: UUID
    let key: String
    let item: Item

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        key = try row.decode(column: Item.keyColumn, as: String.self)
        item = try Item(row: row)
    }
}
