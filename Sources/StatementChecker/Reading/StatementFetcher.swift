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
        do {
            var request = HTTPClientRequest(url: address)
            request.headers.add(name: "User-Agent", value: "Lantern statement checker")
            request.headers.add(name: "Accept", value: "application/pdf, text/html, application/vnd.openxmlformats-officedocument.wordprocessingml.document, text/plain;q=0.8, */*;q=0.5")
            let response = try await client.execute(request, timeout: timeout + .seconds(10))
            guard (200..<300).contains(response.status.code) else {
                try? await client.shutdown()
                throw ReadProblem.httpStatus(url: address, status: Int(response.status.code))
            }
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
                try? await client.shutdown()
                throw ReadProblem.tooLarge(bytes: length, limit: maxBytes)
            }
            var body = Data()
            for try await chunk in response.body {
                body.append(contentsOf: chunk.readableBytesView)
                if body.count > maxBytes {
                    try? await client.shutdown()
                    throw ReadProblem.tooLarge(bytes: body.count, limit: maxBytes)
                }
            }
            try await client.shutdown()
            return body
        } catch let problem as ReadProblem {
            throw problem
        } catch let error as HTTPClientError {
            try? await client.shutdown()
            switch error {
            case .redirectLimitReached, .redirectCycleDetected: throw ReadProblem.tooManyRedirects(url: address)
            case .deadlineExceeded, .readTimeout, .connectTimeout: throw ReadProblem.timedOut(url: address)
            default: throw ReadProblem.unreachable(url: address, reason: "\(error)")
            }
        } catch {
            try? await client.shutdown()
            throw ReadProblem.unreachable(url: address, reason: "\(error)")
        }
    }
}
