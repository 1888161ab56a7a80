import Foundation

/// The one source of the current time. Everything Lantern dates (records, deadlines, audit rows,
/// sessions, throttles, demo data) reads the clock it was configured with, so a test, a replay or
/// a demo can be set to any day, and no result depends on the day or the machine it runs on.
///
/// `system` is the only place in Lantern that reads the machine's clock; a test in
/// `LanternCoreTests` fails if any other source file does.
public struct LanternClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public func now() -> Date { read() }

    /// The machine's clock.
    public static let system = LanternClock { Date() }

    /// A clock that stands still at `date`.
    public static func fixed(_ date: Date) -> LanternClock { LanternClock { date } }
}
