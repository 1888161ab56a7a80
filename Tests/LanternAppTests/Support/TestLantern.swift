import Fluent
import Foundation
import LanternCore
import NIOHTTP1
import Testing
import Vapor
import VaporTesting
@testable import LanternApp

/// The databases the application tests run against. PostgreSQL joins when the test script
/// has started one (`LANTERN_TEST_POSTGRES_URL`); `LANTERN_REQUIRE_POSTGRES=1` makes its
/// absence a failure rather than a skip.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["LANTERN_TEST_POSTGRES_URL"] }

    static var available: [TestDatabase] {
        if postgresURL != nil || ProcessInfo.processInfo.environment["LANTERN_REQUIRE_POSTGRES"] == "1" {
            return [.sqlite, .postgres]
        }
        return [.sqlite]
    }

    var testDescription: String { rawValue }
}

/// A clock the tests move by hand. It starts at a fixed instant (18 November 2026, 08:26 UTC)
/// unless a test names another, and it is Lantern's clock from before the first migration.
final class TestClock: Sendable {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    private let current: NIOLockedValueBox<Date>
    init(at start: Date = TestClock.start) { current = NIOLockedValueBox(start) }
    func now() -> Date { current.withLockedValue { $0 } }
    func advance(by seconds: TimeInterval) { current.withLockedValue { $0 += seconds } }
    var lanternClock: LanternClock { LanternClock { [self] in now() } }
}

struct TestEnvironment {
    let app: Application
    let clock: TestClock
    let database: TestDatabase
    let configuration: LanternConfiguration

    /// Another instance of Lantern on the same database, as a second server behind a load
    /// balancer would be. The database must be one both can reach (PostgreSQL, or a SQLite
    /// file). The caller shuts it down.
    func secondInstance(adjusting adjust: (inout LanternConfiguration) -> Void = { _ in }) async throws -> Application {
        var configuration = configuration
        adjust(&configuration)
        let other = try await Application.make(.testing)
        do {
            try await configure(other, configuration)
        } catch {
            try? await other.asyncShutdown()
            throw error
        }
        return other
    }

    /// Runs every job waiting, as an instance's job runner would.
    func runJobs() async throws { try await app.jobs.drain(app) }

    func browser() throws -> Browser { Browser(tester: try app.testing()) }
    var db: any Database { app.db }
    var sql: any SQLDatabase { app.db as! any SQLDatabase }

    /// The one `M` that `action` adds, found by id: the ids before and after are compared, so a
    /// demo record, or one an earlier step made, is never taken for it whatever its dates.
    func created<M: Model>(_ type: M.Type, by action: () async throws -> Void,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> M where M.IDValue == UUID {
        let before = Set(try await M.query(on: db).all().compactMap(\.id))
        try await action()
        let added = try await M.query(on: db).all().filter { $0.id.map { !before.contains($0) } ?? false }
        try #require(added.count == 1, "expected one new \(M.schema) row, found \(added.count)", sourceLocation: sourceLocation)
        return added[0]
    }

    /// The record a redirect names, as `/cases/<id>` or `/statements/<id>`.
    func record<M: Model>(_ type: M.Type, at location: String?, sourceLocation: SourceLocation = #_sourceLocation) async throws -> M where M.IDValue == UUID {
        let id = try #require(location.flatMap { $0.split(separator: "/").last }.flatMap { UUID(uuidString: String($0.prefix(36))) },
                              "no record id in \(location ?? "nil")", sourceLocation: sourceLocation)
        return try #require(try await M.find(id, on: db), sourceLocation: sourceLocation)
    }
}

let testPassword = DemoData.password()

/// At most this many PostgreSQL test instances at once. Swift Testing runs every test in
/// parallel; each instance pools up to 4 connections per event loop, and a test of several
/// instances starts more, so without a bound a growing suite runs the test server out of
/// connections ("too many clients") and fails tests that did nothing wrong.
actor PostgresTestSlots {
    static let shared = PostgresTestSlots(count: 16)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Runs `body` against a fresh Lantern with the demo organisation (one person per role),
/// on an isolated database: an in-memory SQLite, or a PostgreSQL schema of its own.
func withLantern(_ database: TestDatabase, maxBodySize: Int = 1 << 20, startingAt start: Date = TestClock.start,
                 adjusting adjust: (inout LanternConfiguration) -> Void = { _ in },
                 _ body: (TestEnvironment) async throws -> Void) async throws {
    if database == .postgres {
        await PostgresTestSlots.shared.acquire()
    }
    defer { if database == .postgres { Task { await PostgresTestSlots.shared.release() } } }
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let dbConfig: LanternConfiguration.Database
    switch database {
    case .sqlite:
        dbConfig = .sqliteMemory
    case .postgres:
        guard let url = TestDatabase.postgresURL else {
            Issue.record("LANTERN_REQUIRE_POSTGRES is set but LANTERN_TEST_POSTGRES_URL is not")
            return
        }
        dbConfig = .postgres(url: url, searchPath: schema)
    }
    let clock = TestClock(at: start)
    var configuration = LanternConfiguration(
        database: dbConfig, dataDirectory: NSTemporaryDirectory(),
        dataProtectionKey: try DataProtectionKey(base64: DataProtectionKey.generateBase64()),
        demo: true, passwordCost: 4, maxBodySize: maxBodySize, clock: clock.lanternClock)
    // Tests share the temporary folder: each records heads only where it asks to.
    configuration.auditHeadsPath = nil
    adjust(&configuration)
    let app = try await Application.make(.testing)
    do {
        try await configure(app, configuration)
        try await body(TestEnvironment(app: app, clock: clock, database: database, configuration: configuration))
    } catch {
        await cleanUp(app, database, schema)
        throw error
    }
    await cleanUp(app, database, schema)
}

private func cleanUp(_ app: Application, _ database: TestDatabase, _ schema: String) async {
    if database == .postgres {
        try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
}

/// A test browser: keeps the session cookie between requests and sends the CSRF token the
/// last page carried, as a person's browser would.
final class Browser: @unchecked Sendable {
    let tester: any TestingApplicationTester
    var cookies: [String: String] = [:]
    var csrf: String?
    /// Sent with every request (a proxy's `X-Forwarded-For`, say).
    var extraHeaders: HTTPHeaders = [:]

    init(tester: any TestingApplicationTester) { self.tester = tester }

    @discardableResult
    func get(_ path: String, accept: String = "text/html") async throws -> TestingHTTPResponse {
        let response = try await send(.GET, path, headers: ["Accept": accept])
        if let token = Browser.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    /// Posts a form, adding the CSRF token unless `csrf` is given explicitly (nil to leave it out).
    @discardableResult
    func post(_ path: String, _ form: [String: String], csrf explicit: String?? = .none) async throws -> TestingHTTPResponse {
        if csrf == nil, case .none = explicit { try await get("/sign-in") }
        var fields = form
        switch explicit {
        case .none: fields["_csrf"] = csrf
        case .some(let value?): fields["_csrf"] = value
        case .some(nil): break
        }
        var body = ByteBuffer()
        body.writeString(Browser.urlEncode(fields))
        let response = try await send(.POST, path, headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"], body: body)
        if let token = Browser.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    /// Posts a form whose fields may repeat (checkbox lists such as `indicators[]`).
    @discardableResult
    func postPairs(_ path: String, _ pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        if csrf == nil { try await get("/sign-in") }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = (pairs + [("_csrf", csrf ?? "")]).map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
        var body = ByteBuffer()
        body.writeString(encoded)
        let response = try await send(.POST, path, headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"], body: body)
        if let token = Browser.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    /// Posts a multipart form with one file field, as a browser uploading a file does.
    @discardableResult
    func postFile(_ path: String, fields: [String: String], fileField: String, filename: String, contents: Data) async throws -> TestingHTTPResponse {
        try await postFiles(path, fields: fields.sorted { $0.key < $1.key }, files: [(fileField, filename, contents)])
    }

    /// Posts a multipart form as a browser does: the token first, then the fields, then the files
    /// (or, with `tokenLast`, the token after the files, as no Lantern form sends it).
    @discardableResult
    func postFiles(_ path: String, fields: [(String, String)], files: [(field: String, filename: String, contents: Data)],
                   tokenLast: Bool = false) async throws -> TestingHTTPResponse {
        if csrf == nil { try await get("/sign-in") }
        let boundary = "----lantern\(UUID().uuidString)"
        var body = ByteBuffer()
        func field(_ name: String, _ value: String) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if !tokenLast { field("_csrf", csrf ?? "") }
        for (name, value) in fields { field(name, value) }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.contents)
            body.writeString("\r\n")
        }
        if tokenLast { field("_csrf", csrf ?? "") }
        body.writeString("--\(boundary)--\r\n")
        let response = try await send(.POST, path, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Accept": "text/html"], body: body)
        if let token = Browser.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws -> TestingHTTPResponse {
        var headers = headers
        for (name, value) in extraHeaders { headers.replaceOrAdd(name: name, value: value) }
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await tester.sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            if header.lowercased().contains("expires=thu, 01 jan 1970") || pair[1].isEmpty {
                cookies[name] = nil
            } else {
                cookies[name] = String(pair[1])
            }
        }
        return response
    }

    @discardableResult
    func signIn(as role: Role, password: String = testPassword) async throws -> TestingHTTPResponse {
        try await get("/sign-in")
        let response = try await post("/sign-in", ["email": DemoData.email(for: role), "password": password])
        // The CSRF token is renewed with the session at sign-in; load a page to pick it up.
        if response.status == .seeOther { try await get("/home") }
        return response
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func urlEncode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
}
