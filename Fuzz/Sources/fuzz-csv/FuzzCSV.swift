import Foundation
import FuzzDriver
import LanternCore

/// Any bytes given to the CSV reader end in rows or a reported problem, never a crash or a hang;
/// every row and problem it reports has a line number inside the file.
@main enum FuzzCSV {
    static func main() {
        FuzzDriver.run { data in
            guard let file = try? CSVFile(data: data, maxRows: 5_000) else { return }
            // A line ends at LF, CR LF or a lone CR (old Mac exports): at most one line per break byte.
            let lines = data.reduce(1) { $1 == 0x0A || $1 == 0x0D ? $0 + 1 : $0 } + 1
            for row in file.rows { precondition((1...lines).contains(row.line), "row line \(row.line) outside the file") }
            for problem in file.unreadable { precondition((1...lines).contains(problem.line), "problem line \(problem.line) outside the file") }
        }
    }
}
