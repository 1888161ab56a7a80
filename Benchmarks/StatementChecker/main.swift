import Foundation
import StatementChecker

// Statement checker throughput on one core: sentence classification, whole statements from
// text, and PDF extraction separately. Prints each run and the median of the runs.
//   swift run -c release statement-checker-benchmark [runs=5] [path-to-shared]

let arguments = CommandLine.arguments
let runs = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
let shared = arguments.count > 2 ? arguments[2] : "../shared"

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let checker = try StatementCheck.bundled()
/// A fixed day to judge statement periods against, so no figure depends on the day it runs.
let benchmarkDay = Date(timeIntervalSince1970: 1_796_000_000)
let data = try LabelledSentences(csv: try Data(contentsOf: URL(fileURLWithPath: "\(shared)/data/aims-au/test.csv")))
let documents = data.statements.map(\.sentences)
let sentenceCount = data.sentenceCount

var sentenceRates: [Double] = []
for run in 1...runs {
    var positives = 0
    let seconds = time {
        for sentences in documents {
            for p in checker.classify(sentences) { positives += p.filter { $0 > 0.5 }.count }
        }
    }
    sentenceRates.append(Double(sentenceCount) / seconds)
    print(String(format: "run %d: classified %d sentences in %.3f s: %.0f sentences/s (%d positive label scores)", run, sentenceCount, seconds, sentenceRates.last!, positives))
}

// Whole statements from text: splitting, classification, rules and facts.
let seedDir = "\(shared)/seeds"
let texts = try FileManager.default.contentsOfDirectory(atPath: seedDir).filter { $0.hasSuffix(".txt") }.sorted()
    .map { try String(contentsOfFile: "\(seedDir)/\($0)", encoding: .utf8) }
    .filter { $0.lowercased().contains("slavery") }
    + documents.map { $0.joined(separator: ". ") + "." }
var statementRates: [Double] = []
for run in 1...runs {
    var sentences = 0
    let seconds = time {
        for text in texts { sentences += checker.check(text: text, source: "bench", kind: "text", now: benchmarkDay).sentenceCount }
    }
    statementRates.append(Double(texts.count) / seconds)
    print(String(format: "run %d: checked %d statements (%d sentences) from text in %.3f s: %.1f statements/s", run, texts.count, sentences, seconds, statementRates.last!))
}

// A register of 1,000 suppliers' statements, texts already fetched, re-checked one after another
// as the register's job does, with each report encoded as it is stored.
let register = (0..<1000).map { texts[$0 % texts.count] }
let encoder = JSONEncoder()
var registerBytes = 0
let registerSeconds = try time {
    for text in register { registerBytes += try encoder.encode(checker.check(text: text, source: "register", kind: "text", now: benchmarkDay)).count }
}
print(String(format: "register of %d statements re-checked from text in %.1f s (%.0f ms each; reports %.1f MB as stored)",
             register.count, registerSeconds, registerSeconds * 1000 / Double(register.count), Double(registerBytes) / 1_048_576))

// PDF extraction: a 10-page statement made from the council seed, through pdftotext.
var pdfTimes: [Double] = []
if let pdftotext = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/pdftotext" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
    _ = pdftotext
    let lines = texts[0].split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    let pdf = BenchmarkPDF.make(lines: lines, linesPerPage: 12)
    let reader = DocumentReader()
    for _ in 1...runs { pdfTimes.append(try time { _ = try reader.read(pdf) }) }
    print(String(format: "PDF extraction (%d pages, pdftotext): median %.1f ms per document", (lines.count + 11) / 12, median(pdfTimes) * 1000))
}

print(String(format: "median of %d runs: %.0f sentences/s classified; %.1f statements/s from text", runs, median(sentenceRates), median(statementRates)))
// Other work on the machine only ever slows a run, so the best run is the steadiest estimate of the code's own cost.
print(String(format: "best of %d runs: %.0f sentences/s classified; %.1f statements/s from text", runs, sentenceRates.max()!, statementRates.max()!))
