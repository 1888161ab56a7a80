import Fluent
import Foundation
import LanternCore
import Vapor

/// The ILAB goods list as loaded into this Lantern, one row per good × country pair.
final class ListedGoodRecord: Model, @unchecked Sendable {
    static let schema = "reference_goods"

    @ID(key: .id) var id: UUID?
    @Field(key: "good") var good: String
    @Field(key: "good_sector") var goodSector: String
    @Field(key: "country") var country: String
    @Field(key: "region") var region: String
    @Field(key: "child_labour") var childLabour: Bool
    @Field(key: "forced_labour") var forcedLabour: Bool
    @Field(key: "forced_child_labour") var forcedChildLabour: Bool
    @Field(key: "source") var source: String
    @Field(key: "imported_at") var importedAt: Date

    init() {}

    init(_ pair: ListedGood, source: String, at: Date) {
        good = pair.good
        goodSector = pair.goodSector
        country = pair.country
        region = pair.region
        childLabour = pair.childLabour
        forcedLabour = pair.forcedLabour
        forcedChildLabour = pair.forcedChildLabour
        self.source = source
        importedAt = at
    }

    var listed: ListedGood {
        ListedGood(good: good, goodSector: goodSector, country: country, region: region,
                   childLabour: childLabour, forcedLabour: forcedLabour, forcedChildLabour: forcedChildLabour)
    }
}

struct CreateGoodsReference: AsyncMigration {
    var name: String { "2026-11-24-create-reference-goods" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ListedGoodRecord.schema)
            .id()
            .field("good", .string, .required)
            .field("good_sector", .string, .required)
            .field("country", .string, .required)
            .field("region", .string, .required)
            .field("child_labour", .bool, .required)
            .field("forced_labour", .bool, .required)
            .field("forced_child_labour", .bool, .required)
            .field("source", .string, .required)
            .field("imported_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ListedGoodRecord.schema).delete()
    }
}

/// Loading and caching the goods list. A new file replaces the old list in one transaction.
enum GoodsReference {
    private struct CacheKey: StorageKey { typealias Value = GoodsIndex }

    /// Where demo mode looks for the list when none is loaded: `LANTERN_GOODS_LIST`, or the
    /// shared data folder beside the checkout.
    static var demoFile: String? {
        if let path = Environment.get("LANTERN_GOODS_LIST") { return path }
        let candidate = FileManager.default.currentDirectoryPath + "/../shared/data/dol-goods/goods_2021.xml"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// Replaces the list with the pairs in `data`; returns how many were loaded.
    @discardableResult
    static func load(_ data: Data, source: String, on app: Application) async throws -> Int {
        let pairs = try GoodsListReader.read(data)
        let now = app.lantern.now()
        try await app.db.writeTransaction { db in
            try await ListedGoodRecord.query(on: db).delete()
            for chunk in stride(from: 0, to: pairs.count, by: 500) {
                try await pairs[chunk..<min(chunk + 500, pairs.count)].map { ListedGoodRecord($0, source: source, at: now) }.create(on: db)
            }
        }
        app.storage[CacheKey.self] = GoodsIndex(pairs)
        return pairs.count
    }

    static func index(_ app: Application) async throws -> GoodsIndex {
        if let cached = app.storage[CacheKey.self] { return cached }
        let index = GoodsIndex(try await ListedGoodRecord.query(on: app.db).all().map(\.listed))
        app.storage[CacheKey.self] = index
        return index
    }

    static func summary(on db: any Database) async throws -> (pairs: Int, source: String?, importedAt: Date?) {
        let first = try await ListedGoodRecord.query(on: db).first()
        return (try await ListedGoodRecord.query(on: db).count(), first?.source, first?.importedAt)
    }
}
