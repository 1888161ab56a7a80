import Foundation
import Testing
@testable import LanternCore

@Suite("Time-based one-time passwords")
struct OneTimePasswordTests {
    /// RFC 6238 appendix B's SHA-1 secret: the ASCII digits "1234567890" twice.
    let rfc = OneTimePassword(secret: Array("12345678901234567890".utf8))

    @Test(arguments: [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
                      (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")])
    func matchesTheRFCsTestVectors(_ seconds: Int64, _ expected: String) {
        let step = OneTimePassword.step(at: Date(timeIntervalSince1970: TimeInterval(seconds)))
        #expect(rfc.code(forStep: step, digits: 8) == expected)
        // Six digits are the last six of the eight.
        #expect(rfc.code(forStep: step) == String(expected.suffix(6)))
    }

    @Test func acceptsOneStepEitherSideAndNoMore() {
        let now = Date(timeIntervalSince1970: 1_800_000_015)
        let step = OneTimePassword.step(at: now)
        for offset: Int64 in [-1, 0, 1] {
            #expect(rfc.matchingStep(rfc.code(forStep: step + offset), at: now) == step + offset)
        }
        for offset: Int64 in [-3, -2, 2, 3] {
            let code = rfc.code(forStep: step + offset)
            // Unless, by chance, the far code equals one inside the window.
            let inWindow = (-1...1).map { rfc.code(forStep: step + Int64($0)) }
            if !inWindow.contains(code) { #expect(rfc.matchingStep(code, at: now) == nil) }
        }
    }

    @Test func ignoresSpacesAndRefusesWhatIsNotSixDigits() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let code = rfc.code(at: now)
        #expect(rfc.matchingStep(" \(code.prefix(3)) \(code.suffix(3)) ", at: now) != nil)
        for bad in ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", String(code.dropLast()) + "x"] {
            #expect(rfc.matchingStep(bad, at: now) == nil, "\(bad)")
        }
    }

    @Test func base32RoundTripsAndMatchesRFC4648() {
        // RFC 4648 §10, unpadded.
        for (plain, encoded) in [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")] {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
        }
        let secret = OneTimePassword.generateSecret()
        #expect(secret.count == 20)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        #expect(Base32.decode("MZ1W") == nil)
    }

    @Test func theProvisioningLinkCarriesTheSecretAndEscapesTheLabel() {
        let uri = rfc.provisioningURI(issuer: "Lantern (Eastshire)", account: "a.b@example.gov.uk")
        #expect(uri.hasPrefix("otpauth://totp/Lantern%20%28Eastshire%29:a.b@example.gov.uk?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"))
        #expect(uri.contains("issuer=Lantern%20%28Eastshire%29") && uri.contains("digits=6") && uri.contains("period=30"))
    }

    @Test func recoveryCodesAreTenDistinctAndReadBackHoweverTyped() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10 && Set(codes).count == 10)
        for code in codes {
            #expect(code.count == 11 && code.dropFirst(5).first == "-")
            #expect(RecoveryCodes.looksLikeOne(code.uppercased().replacingOccurrences(of: "-", with: " ")))
            #expect(RecoveryCodes.normalise(" \(code.uppercased()) ") == code.replacingOccurrences(of: "-", with: ""))
        }
        #expect(!RecoveryCodes.looksLikeOne("123456"))
    }
}
