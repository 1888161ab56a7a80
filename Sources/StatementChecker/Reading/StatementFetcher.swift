import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Downloads a statement from an http(s) address, safely for the network Lantern sits in:
/// the name is resolved once and every address it gives must be public (or allowed by the
/// organisation); the connection goes to the address that was checked, with no second lookup;
/// redirects (at most 5) are followed one by one under the same check; the whole fetch has a
/// deadline, however slowly a server drips its answer; the size is limited while reading; and
/// the type is decided from the bytes, not the headers.
public struct StatementFetcher: Sendable {
    /// An outbound proxy the organisation names; it then enforces the network policy itself.
    public struct Proxy: Sendable, Equatable {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) { self.host = host; self.port = port }
    }

    public var timeout: TimeAmount
    public var maxBytes: Int
    /// The most one fetch may take, redirects and body included.
    public var totalDeadline: Duration
    /// Non-public addresses allowed all the same (an intranet server; loopback in tests).
    public var allowedAddresses: Set<String>
    public var proxy: Proxy?

    public init(timeout: TimeAmount = .seconds(20), maxBytes: Int = 20 * 1_048_576, totalDeadline: Duration = .seconds(30),
                allowedAddresses: Set<String> = [], proxy: Proxy? = nil) {
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.totalDeadline = totalDeadline
        self.allowedAddresses = allowedAddresses
        self.proxy = proxy
    }

    /// The organisation's settings: `LANTERN_FETCH_ALLOW_ADDRESSES` (comma-separated addresses)
    /// and `LANTERN_FETCH_PROXY` (`http://host:port`).
    public static func configured(_ environment: [String: String], timeout: TimeAmount = .seconds(20)) -> StatementFetcher {
        let allowed = Set((environment["LANTERN_FETCH_ALLOW_ADDRESSES"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let proxy = environment["LANTERN_FETCH_PROXY"].flatMap(URL.init(string:)).flatMap { url in
            url.host.map { Proxy(host: $0, port: url.port ?? 3128) }
        }
        return StatementFetcher(timeout: timeout, allowedAddresses: allowed, proxy: proxy)
    }

    public static func isURL(_ text: String) -> Bool {
        text.lowercased().hasPrefix("http://") || text.lowercased().hasPrefix("https://")
    }

    static let maxRedirects = 5

    public func fetch(_ address: String) async throws -> Data {
        guard Self.isURL(address), let url = URL(string: address), url.host != nil else { throw ReadProblem.badURL(address) }
        return try await withDeadline(address) {
            var current = url
            for _ in 0...Self.maxRedirects {
                switch try await self.fetchOnce(current, original: address) {
                case .body(let data):
                    return data
                case .redirect(let next):
                    current = next
                }
            }
            throw ReadProblem.tooManyRedirects(url: address)
        }
    }

    /// One answer from a server is one message: whatever went wrong on the way (no such name,
    /// an address that is not public, a refused or reset connection, a broken TLS handshake).
    static func unreachable(_ address: String) -> ReadProblem {
        .unreachable(url: address, reason: "no public web server answered at that address")
    }

    /// The address to connect to for `host`: every address the name gives must be allowed,
    /// so a name that answers with one public and one private address is refused.
    func checkedAddress(for host: String, original: String) throws -> String {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses = PublicAddress.resolve(bare)
        guard let first = addresses.first,
              addresses.allSatisfy({ PublicAddress.isPublic($0) || allowedAddresses.contains($0) }) else {
            throw Self.unreachable(original)
        }
        return first
    }

    private enum Hop { case body(Data), redirect(URL) }

    private func fetchOnce(_ url: URL, original: String) async throws -> Hop {
        guard let host = url.host, ["http", "https"].contains(url.scheme?.lowercased() ?? "") else { throw ReadProblem.badURL(url.absoluteString) }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        if let proxy {
            configuration.proxy = .server(host: proxy.host, port: proxy.port)
        } else {
            configuration.dnsOverride = [host: try checkedAddress(for: host, original: original)]
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        // The response is finished with (or dropped) before the client shuts down: shutting
        // down with a body still streaming would wait for it for ever.
        let outcome: Result<Hop, any Error>
        do {
            outcome = .success(try await download(url, with: client, original: original))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        switch outcome {
        case .success(let hop): return hop
        case .failure(let problem as ReadProblem): throw problem
        case .failure(let error as HTTPClientError):
            switch error {
            case .deadlineExceeded, .readTimeout: throw ReadProblem.timedOut(url: original)
            default: throw Self.unreachable(original)
            }
        case .failure(let error as CancellationError): throw error
        case .failure: throw Self.unreachable(original)
        }
    }

    private func download(_ url: URL, with client: HTTPClient, original: String) async throws -> Hop {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: "Lantern statement checker")
        request.headers.add(name: "Accept", value: "application/pdf, text/html, application/vnd.openxmlformats-officedocument.wordprocessingml.document, text/plain;q=0.8, */*;q=0.5")
        let response = try await client.execute(request, timeout: timeout + .seconds(10))
        if (300..<400).contains(response.status.code), let location = response.headers.first(name: "Location") {
            guard let next = URL(string: location, relativeTo: url)?.absoluteURL, Self.isURL(next.absoluteString) else {
                throw ReadProblem.badURL(location)
            }
            return .redirect(next)
        }
        guard (200..<300).contains(response.status.code) else {
            throw ReadProblem.httpStatus(url: original, status: Int(response.status.code))
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
            throw ReadProblem.tooLarge(bytes: length, limit: maxBytes)
        }
        var body = Data()
        for try await chunk in response.body {
            body.append(contentsOf: chunk.readableBytesView)
            if body.count > maxBytes { throw ReadProblem.tooLarge(bytes: body.count, limit: maxBytes) }
        }
        return .body(body)
    }

    /// Runs `body`, giving up at `totalDeadline` with ``ReadProblem/timedOut(url:)``.
    private func withDeadline<T: Sendable>(_ address: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = totalDeadline
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { try await Task.sleep(for: limit); return nil }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw ReadProblem.timedOut(url: address) }
            return value
        }
    }
}
