// swift-tools-version:6.0
// libFuzzer targets for Lantern's readers of outside input. Build and run with scripts/fuzz;
// they need -sanitize=fuzzer, so they are a package of their own and not part of `swift build`.
import PackageDescription

let package = Package(
    name: "LanternFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Lantern", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        fuzzTarget("fuzz-csv", "LanternCore"),
        fuzzTarget("fuzz-html", "StatementChecker"),
        fuzzTarget("fuzz-docx", "StatementChecker"),
        fuzzTarget("fuzz-sentences", "StatementChecker"),
        fuzzTarget("fuzz-facts", "StatementChecker"),
    ]
)

/// Each target has its own `main`, which starts libFuzzer's driver (see FuzzDriver).
func fuzzTarget(_ name: String, _ library: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzDriver", .product(name: library, package: "Lantern")])
}
