import Foundation
import Testing
@testable import StatementChecker

@Suite("Sentence splitting")
struct SplitterTests {
    @Test func sentencesEndAtFullStopsButNotAbbreviations() {
        let s = SentenceSplitter.split("Example Pty. Ltd. supplies e.g. uniforms. It audits No. 3 site. Dr. Smith signed it.")
        #expect(s == ["Example Pty. Ltd. supplies e.g. uniforms", "It audits No. 3 site", "Dr. Smith signed it"])
    }

    @Test func bulletsStartNewSentences() {
        let s = SentenceSplitter.split("We have taken these steps:\n• supplier questionnaires\n• contract clauses\n1. staff training")
        #expect(s == ["We have taken these steps:", "supplier questionnaires", "contract clauses", "staff training"])
    }

    @Test func headingsRunIntoTheNextSentence() {
        let s = SentenceSplitter.split("Our supply chains\n\nWe buy from 400 suppliers. Training\n\nAll staff are trained.")
        #expect(s.first == "Our supply chains We buy from 400 suppliers")
    }

    @Test func aShortSentenceWithAFullStopIsNotAHeading() {
        let s = SentenceSplitter.split("This statement has been approved by Cabinet. It will be reviewed annually.")
        #expect(s == ["This statement has been approved by Cabinet", "It will be reviewed annually"])
    }

    @Test func wordsHyphenatedAcrossLinesAreRejoined() {
        #expect(SentenceSplitter.split("We assess traf-\nficking risks yearly.") == ["We assess trafficking risks yearly"])
    }
}

@Suite("CSV")
struct CSVTests {
    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let table = try CSVTable(data: Data("statement_id,sentence\r\n1,\"Hello, \"\"world\"\"\nagain\"\r\n2,plain\r\n".utf8))
        #expect(table.header == ["statement_id", "sentence"])
        #expect(table.rows.map(\.fields) == [["1", "Hello, \"world\"\nagain"], ["2", "plain"]])
        #expect(table.rows.map(\.line) == [2, 4])
    }

    @Test func problemsAreNamed() {
        #expect(throws: CSVTable.Problem.unterminatedQuote(line: 2)) { try CSVTable(data: Data("a,b\n1,\"open\n".utf8)) }
        #expect(throws: CSVTable.Problem.empty) { try CSVTable(data: Data()) }
        #expect(throws: CSVTable.Problem.missingColumns(["sentence"])) {
            try CSVTable(data: Data("statement_id,text\n1,x\n".utf8)).requireColumns(["statement_id", "sentence"])
        }
    }

    @Test func latin1CSVIsDecoded() throws {
        let table = try CSVTable(data: Data(Array("statement_id,sentence\n1,Soci".utf8) + [0xE9, 0x74, 0xE9, 0x0A]))
        #expect(table.rows[0].fields[1] == "Société")
    }

    @Test func predictionsKeepInputOrderAndTheFixedHeader() throws {
        let checker = try StatementCheck.bundled()
        let input = "statement_id,sentence,extra\nA,This statement was approved by the Board of Directors on 1 June 2024,x\nB,\"We sell paper, pens and desks\",y\nA,We audit our tier one suppliers every year,z\n"
        let result = try SentenceCSV.predict(Data(input.utf8), with: checker)
        let lines = result.csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "statement_id,sentence_index,Approval,Signature,C1 (reporting entity),C2 (structure),C2 (operations),C2 (supply chains),C3 (risk description),C4 (risk mitigation),C4 (remediation),C5 (effectiveness),C6 (consultation)")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("A,0,1,"), "approval sentence: \(lines[1])")
        #expect(lines[2].hasPrefix("B,0,"))
        #expect(lines[3].hasPrefix("A,1,"))
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 13 })
    }

    @Test func malformedRowsAreReportedByLine() throws {
        let checker = try StatementCheck.bundled()
        #expect(throws: SentenceCSV.Problem.self) {
            try SentenceCSV.predict(Data("sentence,statement_id\nonly-one-field\n".utf8), with: checker)
        }
    }
}
