import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// Evidence files are read as they arrive and sealed a chunk at a time (issue 18, item 2):
/// nothing is stored before the form's token is checked, a refused form leaves nothing behind,
/// and a file larger than a chunk comes back whole.
@Suite("Streamed evidence uploads")
struct StreamedUploadTests {
    static func pdf(_ size: Int, seed: UInt8 = 7) -> Data {
        var bytes = Data("%PDF-1.4\n".utf8)
        var value = seed
        while bytes.count < size { value = value &* 31 &+ 17; bytes.append(value) }
        return bytes
    }

    @Test(arguments: TestDatabase.available)
    func aFileLargerThanAChunkIsSealedInPiecesAndComesBackWhole(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await PrivacyTests.openCase(env, first: "Ivo", last: "Marsh")
            let big = Self.pdf(EvidenceStore.chunkSize * 2 + 12_345)
            let sent = try await caseworker.postFiles("/cases/\(c.id!.uuidString)/files", fields: [("description", "Bank statement, May")],
                                                      files: [("files[]", "statement.pdf", big)])
            #expect(sent.status == .seeOther)
            let record = try #require(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == c.id!).filter(\.$size == big.count).first())
            #expect(record.ownerType == .case && record.kind == .pdf)
            #expect(try await EvidenceChunk.query(on: env.db).filter(\.$fileID == record.id!).count() == 3)
            let back = try await caseworker.get("/cases/\(c.id!.uuidString)/files/\(record.id!.uuidString)")
            #expect(back.body.readableBytes == big.count)
            #expect(Data(back.body.readableBytesView) == big)
            #expect(try record.open(with: env.app.lantern.cipher).description == "Bank statement, May")
        }
    }

    @Test(arguments: TestDatabase.available)
    func nothingIsStoredBeforeTheTokenNorKeptFromARefusedForm(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (caseworker, c) = try await PrivacyTests.openCase(env, first: "Rhea", last: "Vance")
            let path = "/cases/\(c.id!.uuidString)/files"
            let before = try await EvidenceFile.query(on: env.db).count()
            // The token after the file: refused before the file is stored.
            let late = try await caseworker.postFiles(path, fields: [("description", "x")], files: [("files[]", "a.pdf", Self.pdf(5000))], tokenLast: true)
            #expect(late.status == .forbidden)
            // A form refused for a missing description: the file is not kept.
            let refused = try await caseworker.postFiles(path, fields: [("description", "")], files: [("files[]", "a.pdf", Self.pdf(5000))])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Say what each file is and its date"))
            // Eleven files: refused as a whole rather than cut short.
            let eleven = try await caseworker.postFiles(path, fields: [("description", "Photos")],
                                                        files: (0..<11).map { ("files[]", "p\($0).pdf", Self.pdf(2000, seed: UInt8($0))) })
            #expect(eleven.body.string.contains("Attach at most 10 files at a time"))
            // A file that is not an allowed kind is named.
            let wrong = try await caseworker.postFiles(path, fields: [("description", "A script")], files: [("files[]", "run.sh", Data("#!/bin/sh\n".utf8))])
            #expect(wrong.body.string.contains("run.sh"))
            #expect(try await EvidenceFile.query(on: env.db).count() == before, "a refused form left a file behind")
            #expect(try await EvidenceChunk.query(on: env.db).count() == 1, "only the first case file's bytes are held")
            let ten = try await caseworker.postFiles(path, fields: [("description", "Photos")],
                                                     files: (0..<10).map { ("files[]", "p\($0).pdf", Self.pdf(2000, seed: UInt8($0))) })
            #expect(ten.status == .seeOther)
            #expect(try await EvidenceFile.query(on: env.db).filter(\.$ownerType == .staged).count() == 0)
            #expect(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == c.id!).count() == 11)
        }
    }
}
