import Foundation
import Testing
@testable import StatementChecker

@Suite("Features and byte helpers")
struct FeatureTests {
    @Test func fragmentsAreFoundAnywhereAndOnlyWhenWhole() {
        #expect("we audit suppliers".hasFragment("we "))
        #expect("we audit suppliers".hasFragment("suppliers"))
        #expect("aaab".hasFragment("aab"), "a false start on the first byte is passed over")
        #expect(!"we audit suppliers".hasFragment("supplierss"))
        #expect(!"audit".hasFragment("audits"))
        #expect("café crème".hasFragment("é c"))
        #expect("anything".hasFragment(""))
    }

    @Test func scalarsDecodeAtByteOffsets() {
        let bytes = Array("a£”😀".utf8)
        #expect(UTF8Scan.scalar(bytes, at: 0)! == ("a", 1))
        #expect(UTF8Scan.scalar(bytes, at: 1)! == ("£", 2))
        #expect(UTF8Scan.scalar(bytes, at: 3)! == ("”", 3))
        #expect(UTF8Scan.scalar(bytes, at: 6)! == ("😀", 4))
        #expect(UTF8Scan.scalar(bytes, at: 2) == nil, "inside a multi-byte sequence")
        #expect(UTF8Scan.wordCount("  Our   supply chains ") == 3)
    }

    @Test func yearsAreRunsOfExactlyFourDigits() {
        #expect(FactExtractor.yearCount("1 April 2023 to 31 March 2024") == 2)
        #expect(FactExtractor.yearCount("30/06/2023") == 1)
        #expect(FactExtractor.yearCount("ABN 12345678 and 95%") == 0)
        #expect(FactExtractor.yearCount("2024") == 1)
    }

    @Test func shapeMarksPlaceLengthDigitsHeadingsAndTheFuture() {
        let terms = FeatureHasher.documentTerms([
            "OUR SUPPLY CHAINS We buy from 120 suppliers",
            "We will audit them in 2025",
            "Over 40% of spend, £2m, is on cleaning",
            "Jane Smith, Chief Executive:",
        ])
        typealias S = FeatureHasher.Shape
        #expect(terms[0].shape.contains(S.capitalHeading) && terms[0].shape.contains(S.digit))
        #expect(terms[0].shape.contains(S.fromStart[0]) && terms[0].shape.contains(S.position[0]))
        #expect(terms[1].shape.contains(S.future) && terms[1].shape.contains(S.year))
        #expect(!terms[0].shape.contains(S.future) && !terms[0].shape.contains(S.year))
        #expect(terms[2].shape.contains(S.percent) && terms[2].shape.contains(S.money))
        #expect(terms[3].shape.contains(S.colonEnd) && terms[3].shape.contains(S.fromEnd[0]) && terms[3].shape.contains(S.position[9]))
        #expect(!terms[3].shape.contains(S.capitalHeading))
        #expect(FeatureHasher.Shape.isFuture(Tokenizer.words("We are going to publish it in FY25")))
        #expect(!FeatureHasher.Shape.isFuture(Tokenizer.words("We planned and audited")))
    }

    @Test func contextBlocksKeepWordsApart() {
        // Remapping is a bijection, so two words never share a bucket in another block.
        let buckets = (0..<Int32(4096)).map { FeatureHasher.remap($0, 40_503) }
        #expect(Set(buckets).count == buckets.count)
        #expect(buckets.allSatisfy { $0 >= 0 && Int($0) < FeatureHasher.buckets })
    }
}
