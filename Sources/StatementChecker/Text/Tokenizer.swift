/// Lower-cased word tokens over UTF-8 bytes: ASCII letters and digits, and any non-ASCII
/// letter bytes, form words. Apostrophes (' and ’) are dropped inside words, because PDF
/// extraction loses them anyway ("Australia's" and "Australias" become one token). Works on
/// bytes into one buffer, not on Characters, because classification speed depends on it.
enum Tokenizer {
    struct Words {
        /// The words' bytes, lower-cased, one after another.
        var bytes: [UInt8] = []
        /// Where each word lies in `bytes`.
        var ranges: [Range<Int>] = []
    }

    static func words(_ text: String) -> Words {
        var out = Words()
        var start = 0
        func close(_ out: inout Words) {
            if out.bytes.count > start { out.ranges.append(start..<out.bytes.count) }
            start = out.bytes.count
        }
        var text = text
        text.withUTF8 { utf8 in
            out.bytes.reserveCapacity(utf8.count)
            var i = 0
            while i < utf8.count {
                let b = utf8[i]
                switch b {
                case 0x41...0x5A: out.bytes.append(b + 32)
                case 0x61...0x7A, 0x30...0x39: out.bytes.append(b)
                case 0x27: break  // '
                case 0xE2 where i + 2 < utf8.count && utf8[i + 1] == 0x80:
                    // General punctuation: ’ (0x99) is an apostrophe; dashes, quotes, bullets separate.
                    if utf8[i + 2] != 0x99 { close(&out) }
                    i += 2
                case 0xC2 where i + 1 < utf8.count && (utf8[i + 1] == 0xA0 || utf8[i + 1] == 0xA3 || utf8[i + 1] == 0xB7):
                    close(&out)  // no-break space, pound sign, middle dot
                    i += 1
                case 0x80...: out.bytes.append(b)
                default: close(&out)
                }
                i += 1
            }
            close(&out)
        }
        return out
    }
}
