import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// Records the SQL each request sends, read from the drivers' "Executing query" log lines: the
/// request's logger is the one its database handle logs through.
final class StatementCounter: Sendable {
    private let statements = NIOLockedValueBox<[String]>([])

    func reset() { statements.withLockedValue { $0 = [] } }
    var recorded: [String] { statements.withLockedValue { $0 } }
    fileprivate func record(_ sql: String) { statements.withLockedValue { $0.append(sql) } }

    /// Installed first, so every later middleware and the route log through it.
    struct Middleware: AsyncMiddleware {
        let counter: StatementCounter
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let counter = counter
            var logger = Logger(label: "lantern.statement-counter") { _ in Handler(counter: counter) }
            logger.logLevel = .debug
            request.logger = logger
            return try await next.respond(to: request)
        }
    }

    private struct Handler: LogHandler {
        let counter: StatementCounter
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            guard event.message.description == "Executing query", let sql = event.metadata?["sql"] else { return }
            counter.record("\(sql)")
        }
    }
}
