import Foundation

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

nonisolated(unsafe) private var currentBody: ((Data) -> Void)?

/// Hands control to libFuzzer, which calls `body` with each input. SwiftPM names an
/// executable's entry point itself, so the target keeps its own `main` and starts libFuzzer's
/// driver from there rather than letting libFuzzer supply `main`.
public enum FuzzDriver {
    public static func run(_ body: @escaping (Data) -> Void) -> Never {
        currentBody = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
            currentBody?(bytes.map { Data(bytes: $0, count: count) } ?? Data())
            return 0
        }
        exit(status)
    }
}
