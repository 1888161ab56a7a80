import ArgumentParser
import Foundation
import LanternApp
import StatementChecker

struct StatementModel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement-model",
        abstract: "Train and evaluate the statement checker's sentence classifier.",
        subcommands: [Train.self, Evaluate.self, Select.self])

    static let defaultData = "../shared/data/aims-au/test.csv"

    static func load(_ path: String) throws -> LabelledSentences {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("Cannot read \(path). Pass the AIMS.au CSV with --data.")
        }
        do {
            return try LabelledSentences(csv: data)
        } catch {
            throw CommandFailure("\(path) is not usable: \(error)")
        }
    }

    /// The AIMS.au set, with the reviewers' corrections from Lantern's database when asked for.
    static func load(_ path: String, corrections: Bool, storage: StorageOptions) async throws -> LabelledSentences {
        let aims = try load(path)
        guard corrections else { return aims }
        let corrected = try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
            try await StatementCorrections.statements(on: app.db)
        }
        print("With \(corrected.count) corrected statement\(corrected.count == 1 ? "" : "s") from the reviewers (\(corrected.reduce(0) { $0 + $1.sentences.count }) sentences).")
        return LabelledSentences(statements: aims.statements + corrected)
    }

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit the classifier on the AIMS.au gold set and write the weights resource (deterministic).")
        @ArgumentParser.Option(help: "The labelled sentences CSV.") var data = StatementModel.defaultData
        @ArgumentParser.Option(help: "Where to write the weights.") var output = "Sources/StatementChecker/Resources/statement-model.bin"
        @ArgumentParser.Flag(name: .long, help: "Add the reviewers' corrections kept in Lantern's database.") var withCorrections = false
        @ArgumentParser.OptionGroup var storage: StorageOptions

        func run() async throws {
            let sentences = try await StatementModel.load(data, corrections: withCorrections, storage: storage)
            let started = ContinuousClock.now
            let model = Training.train(sentences.statements) { print("  \($0)") }
            try model.serialized().write(to: URL(fileURLWithPath: output))
            let took = (ContinuousClock.now - started).components
            print(String(format: "Trained on %d sentences from %d statements in %.1f s; wrote %@",
                         sentences.sentenceCount, sentences.statements.count, Double(took.seconds) + Double(took.attoseconds) / 1e18, output))
            print("Thresholds: " + AIMSLabel.allCases.map { "\($0.columnName) \(String(format: "%.2f", model.thresholds[$0.rawValue]))" }.joined(separator: ", "))
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "5-fold cross-validation grouped by statement: F1 per label and macro-F1, sentence and document level.")
        @ArgumentParser.Option(help: "The labelled sentences CSV.") var data = StatementModel.defaultData
        @ArgumentParser.Option(help: "Number of folds.") var folds = 5
        @ArgumentParser.Flag(name: .long, help: "Add the reviewers' corrections kept in Lantern's database; each set is scored apart as well.") var withCorrections = false
        @ArgumentParser.OptionGroup var storage: StorageOptions

        func run() async throws {
            let sentences = try await StatementModel.load(data, corrections: withCorrections, storage: storage)
            let evaluation = Evaluation.crossValidate(sentences, folds: folds) { print("  \($0)") }
            print(evaluation.report)
        }
    }

    struct Select: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Choose the model's settings by nested cross-validation grouped by statement, reporting only the outer folds.")
        @ArgumentParser.Option(help: "The labelled sentences CSV.") var data = StatementModel.defaultData
        @ArgumentParser.Option(help: "Outer folds.") var folds = 5
        @ArgumentParser.Option(help: "Inner folds, inside each outer training fold.") var innerFolds = 3
        @ArgumentParser.Flag(name: .long, help: "Add the reviewers' corrections kept in Lantern's database.") var withCorrections = false
        @ArgumentParser.OptionGroup var storage: StorageOptions

        func run() async throws {
            let sentences = try await StatementModel.load(data, corrections: withCorrections, storage: storage)
            let selection = ModelSelection.nested(sentences, outerFolds: folds, innerFolds: innerFolds) { print("  \($0)") }
            print(selection.report)
        }
    }
}
