import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Downloads a statement from an http(s) address: at most 5 redirects, a time limit, a size
/// limit enforced while reading, and the type decided from the bytes, not the headers.
public struct StatementFetcher: Sendable {
    public var timeout: TimeAmount
    public var maxBytes: Int

    public init(timeout: TimeAmount = .seconds(20), maxBytes: Int = 20 * 1_048_576) {
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    public static func isURL(_ text: String) -> Bool {
        text.lowercased().hasPrefix("http://") || text.lowercased().hasPrefix("https://")
    }

    public func fetch(_ address: String) async throws -> Data {
        guard Self.isURL(address), let url = URL(string: address), url.host != nil else { throw ReadProblem.badURL(address) }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        // The response is finished with (or dropped) before the client shuts down: shutting
        // down with a body still streaming would wait for it for ever.
        let outcome: Result<Data, any Error>
        do {
            outcome = .success(try await download(address, with: client))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        switch outcome {
        case .success(let data):
            return data
        case .failure(let problem as ReadProblem):
            throw problem
        case .failure(let error as HTTPClientError):
            switch error {
            case .redirectLimitReached, .redirectCycleDetected: throw ReadProblem.tooManyRedirects(url: address)
            case .deadlineExceeded, .readTimeout, .connectTimeout: throw ReadProblem.timedOut(url: address)
            default: throw ReadProblem.unreachable(url: address, reason: "\(error)")
            }
        case .failure(let error):
            throw ReadProblem.unreachable(url: address, reason: "\(error)")
        }
    }

    private func download(_ address: String, with client: HTTPClient) async throws -> Data {
        var request = HTTPClientRequest(url: address)
        request.headers.add(name: "User-Agent", value: "Lantern statement checker")
        request.headers.add(name: "Accept", value: "application/pdf, text/html, application/vnd.openxmlformats-officedocument.wordprocessingml.document, text/plain;q=0.8, */*;q=0.5")
        let response = try await client.execute(request, timeout: timeout + .seconds(10))
        guard (200..<300).contains(response.status.code) else {
            throw ReadProblem.httpStatus(url: address, status: Int(response.status.code))
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
            throw ReadProblem.tooLarge(bytes: length, limit: maxBytes)
        }
        var body = Data()
        for try await chunk in response.body {
            body.append(contentsOf: chunk.readableBytesView)
            if body.count > maxBytes { throw ReadProblem.tooLarge(bytes: body.count, limit: maxBytes) }
        }
        return body
    }
}
