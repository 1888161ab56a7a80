// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lantern",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lantern", targets: ["lantern"]),
        // The readers, for the fuzz targets in Fuzz/.
        .library(name: "LanternCore", targets: ["LanternCore"]),
        .library(name: "StatementChecker", targets: ["StatementChecker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
    ],
    targets: [
        .target(
            name: "LanternCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "StatementChecker",
            dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")],
            resources: [.copy("Resources/statement-model.bin")]
        ),
        // The API's types and server stubs, generated from openapi.yaml by scripts/generate-api.
        .target(
            name: "LanternAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi-generator-config.yaml"],
            resources: [.copy("openapi.yaml"), .copy("openapi.json")]
        ),
        // One SQLite setting Swift cannot reach (a C function of variable arguments).
        .target(name: "LanternSQLiteSettings"),
        .target(
            name: "LanternApp",
            dependencies: [
                "LanternCore",
                "LanternSQLiteSettings",
                "LanternAPI",
                "StatementChecker",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
            ]
        ),
        .executableTarget(
            name: "lantern",
            dependencies: [
                "LanternApp",
                "LanternCore",
                "StatementChecker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "statement-checker-benchmark",
            dependencies: ["StatementChecker"],
            path: "Benchmarks/StatementChecker"
        ),
        .executableTarget(
            name: "safeguarding-load",
            dependencies: ["LanternApp", "LanternCore", .product(name: "Vapor", package: "vapor")],
            path: "Benchmarks/SafeguardingLoad"
        ),
        .testTarget(name: "LanternCoreTests", dependencies: ["LanternCore"]),
        .testTarget(name: "StatementCheckerTests", dependencies: ["StatementChecker"]),
        .testTarget(
            name: "LanternAppTests",
            dependencies: [
                "LanternApp",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
    ]
)
