import Fluent
import Foundation
import LanternCore
import Vapor

/// What every register has (suppliers, contracts): a filtered list and its CSV export for
/// those who may view it, and adding and changing a record for those who may edit it. A
/// register declares its path and permissions; the routes are laid out once, here.
protocol Register: RouteCollection {
    /// "suppliers": the list is at `/suppliers`, a record at `/suppliers/:<idParameter>`.
    static var path: String { get }
    static var idParameter: String { get }
    static var viewPermission: Permission { get }
    static var editPermission: Permission { get }

    func list(req: Request) async throws -> Response
    func newForm(req: Request) async throws -> Response
    func create(req: Request) async throws -> Response
    func editForm(req: Request) async throws -> Response
    func update(req: Request) async throws -> Response

    /// How many rows the export of the list filtered by `query` holds, as `user` may see it.
    static func exportCount(query: (String) -> String, user: User?, today: Day, on db: any Database) async throws -> Int
    /// The export of the list filtered by `query`, as `user` may see it.
    static func exportFile(query: (String) -> String, user: User?, today: Day, on db: any Database) async throws -> RegisterExport
}

/// A register's export: its file name, its rows, and what its audit row names.
struct RegisterExport: Sendable {
    let filename: String
    let entity: AuditEntity
    let header: [String]
    let rows: [[String]]
}

extension Register {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(Self.viewPermission).grouped(PathComponent(stringLiteral: Self.path))
        view.get(use: list)
        view.get("export.csv", use: export)
        let edit = routes.requiring(Self.editPermission).grouped(PathComponent(stringLiteral: Self.path))
        edit.get("new", use: newForm)
        edit.post(use: create)
        edit.get(PathComponent(stringLiteral: ":" + Self.idParameter), "edit", use: editForm)
        edit.post(PathComponent(stringLiteral: ":" + Self.idParameter), use: update)
    }

    /// The page of a filtered list the request asks for: `count` counts what the filters keep,
    /// `rows` lists them in order, and the page links keep the filters.
    static func page<M: Model>(_ req: Request, filters: [(String, String)], count: QueryBuilder<M>, rows: QueryBuilder<M>) async throws -> (Pagination, [M]) {
        let pagination = Pagination(page: req.requestedPage, total: try await count.countRows(),
                                    path: "/" + path, query: filters)
        return (pagination, try await rows.range(pagination.offset..<(pagination.offset + Pagination.perPage)).all())
    }

    /// The list as CSV, with the list's filters. Up to `RegisterExportJob.inRequest` rows come at
    /// once; a larger export is made by a job, whose page offers the file when it is ready.
    func export(req: Request) async throws -> Response {
        let query: (String) -> String = { req.queryValue($0) }
        let count = try await Self.exportCount(query: query, user: req.currentUser, today: req.today, on: req.db)
        if count > RegisterExportJob<Self>.inRequest {
            let job = try await JobQueue.enqueue(kind: RegisterExportJob<Self>.kind, subject: String((req.url.query ?? "").prefix(2000)), uniqueKey: "export:\(UUID().uuidString)",
                                                 owner: req.currentUser?.id, nextPath: "/" + Self.path, on: req.db, now: req.lantern.now())
            return req.redirect(to: "/jobs/\(job.id!.uuidString)")
        }
        let file = try await Self.exportFile(query: query, user: req.currentUser, today: req.today, on: req.db)
        try await req.audit(.export, file.entity, detail: "\(file.rows.count) rows")
        return req.csvDownload(filename: file.filename, header: file.header, rows: file.rows)
    }

    /// The list's export link, with the same filters.
    static func exportLink(_ filters: [(String, String)]) -> String { "/\(path)/export.csv" + Pagination.queryString(filters) }
}
