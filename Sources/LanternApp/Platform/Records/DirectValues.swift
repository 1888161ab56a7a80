import Foundation
import SQLiteNIO

/// The column types the busiest pages read most (text, ids, integers, flags, times, and each of
/// them optional), taken straight from SQLite's value. SQLiteKit's decoder reaches an optional or
/// an id through a nested `Decoder` and `UUID(uuidString:)`, which parses with `sscanf`: a tenth of
/// the cost of reading a row. Anything else, and any value these do not read, goes to that decoder,
/// so the result and the errors stay SQLiteKit's.
enum DirectValues {
    static func read<D>(_ value: SQLiteData, as type: D.Type) -> D? {
        if case .null = value {
            if D.self == String?.self { return (String?.none as! D) }
            if D.self == UUID?.self { return (UUID?.none as! D) }
            if D.self == Int?.self { return (Int?.none as! D) }
            if D.self == Date?.self { return (Date?.none as! D) }
            if D.self == Bool?.self { return (Bool?.none as! D) }
            return nil
        }
        if D.self == String.self || D.self == String?.self {
            guard case .text(let text) = value else { return nil }
            return D.self == String.self ? (text as! D) : (Optional(text) as! D)
        }
        if D.self == UUID.self || D.self == UUID?.self {
            guard case .text(let text) = value, let id = uuid(text) else { return nil }
            return D.self == UUID.self ? (id as! D) : (Optional(id) as! D)
        }
        if D.self == Int.self || D.self == Int?.self {
            guard case .integer(let n) = value else { return nil }
            return D.self == Int.self ? (n as! D) : (Optional(n) as! D)
        }
        if D.self == Bool.self || D.self == Bool?.self {
            guard case .integer(let n) = value, n == 0 || n == 1 else { return nil }
            return D.self == Bool.self ? ((n == 1) as! D) : (Optional(n == 1) as! D)
        }
        if D.self == Date.self || D.self == Date?.self {
            let seconds: Double
            switch value {
            case .float(let v): seconds = v
            case .integer(let v): seconds = Double(v)
            default: return nil
            }
            let date = Date(timeIntervalSince1970: seconds)
            return D.self == Date.self ? (date as! D) : (Optional(date) as! D)
        }
        return nil
    }

    /// A UUID written as 8-4-4-4-12 hexadecimal digits, either case: what `UUID(uuidString:)`
    /// accepts. Nil for anything else, which the decoder then refuses in its own words.
    static func uuid(_ text: String) -> UUID? {
        let parsed = text.utf8.withContiguousStorageIfAvailable { chars -> UUID? in
            guard chars.count == 36 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16)
            var i = 0
            while i < 36 {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard chars[i] == UInt8(ascii: "-") else { return nil }
                    i += 1
                    continue
                }
                guard let high = hexValue(chars[i]), let low = hexValue(chars[i + 1]) else { return nil }
                bytes.append(high << 4 | low)
                i += 2
            }
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
        guard let parsed else { return UUID(uuidString: text) }
        return parsed
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
