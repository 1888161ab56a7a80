import Foundation
import SQLiteKit
import SQLiteNIO
import Testing
@testable import LanternApp

/// `DirectValues` reads a column without SQLiteKit's decoder; it must give what the decoder gives,
/// and leave to the decoder every value it would refuse.
@Suite("Column values read directly")
struct DirectValuesTests {
    static let values: [SQLiteData] = [
        .text("Canal Street"), .text(""), .text("6BA7B810-9DAD-11D1-80B4-00C04FD430C8"), .text("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        .text("6BA7B810-9DAD-11D1-80B4-00C04FD430CG"), .text("6BA7B810+9DAD-11D1-80B4-00C04FD430C8"), .text("6BA7B8109DAD11D180B400C04FD430C8"),
        .text("1"), .text("true"), .integer(0), .integer(1), .integer(7), .integer(-3), .float(1_765_000_000.25), .float(0),
        .null, .blob(ByteBuffer(bytes: [1, 2, 3])),
    ]

    @Test func givesWhatSQLiteKitsDecoderGives() {
        check(String.self); check(String?.self)
        check(UUID.self); check(UUID?.self)
        check(Int.self); check(Int?.self)
        check(Bool.self); check(Bool?.self)
        check(Date.self); check(Date?.self)
    }

    @Test func otherTypesAreLeftToTheDecoder() {
        #expect(DirectValues.read(.integer(1), as: Int64.self) == nil)
        #expect(DirectValues.read(.text("a"), as: [String].self) == nil)
        #expect(DirectValues.read(.float(1), as: Double.self) == nil)
    }

    private func check<D: Decodable & Equatable>(_ type: D.Type) {
        for value in Self.values {
            let decoded = try? SQLiteDataDecoder().decode(D.self, from: value)
            guard let direct = DirectValues.read(value, as: D.self) else { continue }
            #expect(decoded == direct, "\(D.self) from \(value)")
        }
        // Every value of the type's own kind is read directly, not left to the decoder.
        let own: [SQLiteData] = switch D.self {
        case is String.Type, is String?.Type: [.text("x")]
        case is UUID.Type, is UUID?.Type: [.text("6ba7b810-9dad-11d1-80b4-00c04fd430c8")]
        case is Date.Type, is Date?.Type: [.float(1), .integer(1)]
        default: [.integer(1)]
        }
        for value in own { #expect(DirectValues.read(value, as: D.self) != nil, "\(D.self) from \(value)") }
    }
}
