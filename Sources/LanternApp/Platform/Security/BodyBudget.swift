import Foundation
import NIOConcurrencyHelpers

/// How many bytes of large request bodies (files) one instance holds in memory at once. A
/// body over the site-wide limit must say its length, and is taken only while the budget has
/// room; otherwise it is refused at once with 503 and a retry time, before a byte is read, so a
/// burst of large uploads cannot exhaust memory.
final class BodyBudget: Sendable {
    let capacity: Int
    private let used = NIOLockedValueBox(0)

    init(capacity: Int) { self.capacity = capacity }

    /// Reserves `bytes`; false when they do not fit now.
    func reserve(_ bytes: Int) -> Bool {
        used.withLockedValue { used in
            guard used + bytes <= capacity else { return false }
            used += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        used.withLockedValue { $0 = max(0, $0 - bytes) }
    }

    var inUse: Int { used.withLockedValue { $0 } }
}
