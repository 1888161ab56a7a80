import NIOCore

/// HTML written straight from Swift, for the page frame and the busiest pages, where Leaf's
/// interpreter (a dictionary copy and a fresh buffer per loop pass) was most of the cost.
/// Every value goes through `text`, which escapes exactly the characters Leaf's `#( )` escapes
/// (& < > " '), so nothing a person typed reaches the page unescaped; `raw` takes only literal
/// markup written in the code.
struct HTML {
    private(set) var buffer: ByteBuffer

    init(capacity: Int = 8192) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Markup written in the code. A `StaticString` cannot carry anything from a request.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { _ = buffer.writeBytes($0) }
    }

    /// Bytes that are already HTML: a Leaf-rendered part of the page.
    mutating func raw(rendered part: ByteBuffer) {
        var part = part
        buffer.writeBuffer(&part)
    }

    /// A value, escaped for text and for quoted attribute values alike.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let entity: StaticString
                switch bytes[index] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                default: continue
                }
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<index]))
                raw(entity)
                start = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]))
        }
    }

    mutating func text(_ value: Int) {
        buffer.writeString(String(value))
    }

    /// `raw(markup)` when the condition holds: an attribute or class that depends on the data.
    mutating func raw(_ markup: StaticString, if condition: Bool) {
        if condition { raw(markup) }
    }
}
