import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// Evidence lives inside the database, sealed in chunks, written with its record, streamed out
/// (issue 18, item 2).
@Suite("Evidence storage")
struct EvidenceStorageTests {
    @Test(arguments: TestDatabase.available)
    func aFileSpanningSeveralChunksIsStoredWithItsRecordAndStreamedBackWhole(_ database: TestDatabase) async throws {
        try await withLantern(database, maxBodySize: 16 << 20) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let c = try await CasesTests.openCase(browser, env, CasesTests.person("Ilse", "Brandt", age: "adult"))
            // 2.5 chunks of a PDF whose bytes vary, so a swapped or repeated chunk would show.
            var pdf = Data("%PDF-1.4\n".utf8)
            var seed: UInt64 = 42
            while pdf.count < EvidenceStore.chunkSize * 5 / 2 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                pdf.append(UInt8(truncatingIfNeeded: seed >> 56))
            }
            let upload = try await browser.postFile("/cases/\(c.id!.uuidString)/files", fields: ["description": "Bank statement"], fileField: "files[]",
                                                    filename: "statement.pdf", contents: pdf)
            #expect(upload.status == .seeOther)
            let record = try #require(try await EvidenceFile.query(on: env.db).filter(\.$ownerID == c.id!).first())
            #expect(try await EvidenceChunk.query(on: env.db).filter(\.$fileID == record.id!).count() == 3)
            let download = try await browser.get("/cases/\(c.id!.uuidString)/files/\(record.id!.uuidString)", accept: "*/*")
            #expect(download.status == .ok)
            #expect(Data(buffer: download.body) == pdf)
            #expect(!FileManager.default.fileExists(atPath: (env.app.lantern.configuration.dataDirectory as NSString).appendingPathComponent("evidence/\(record.id!.uuidString.lowercased()).sealed")))

            // Chunks swapped in the database are refused, not served out of order.
            let chunks = try await EvidenceChunk.query(on: env.db).filter(\.$fileID == record.id!).sort(\.$index).all()
            try await env.sql.update(EvidenceChunk.schema).set("sealed", to: chunks[1].sealed).where("id", .equal, chunks[0].id!).run()
            await #expect(throws: (any Error).self) { _ = try await EvidenceChunk.readAll(record, cipher: env.app.lantern.cipher, on: env.db) }
        }
    }

    @Test func filesLeftInTheOldFolderMoveIntoTheDatabase() async throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("lantern-evidence-\(UUID().uuidString)")
        try await withLantern(.sqlite) { env in
            let cipher = env.app.lantern.cipher
            let record = EvidenceFile()
            record.ownerType = .case
            record.ownerID = UUID()
            record.kind = .pdf
            record.size = 9
            record.uploadedAt = env.clock.now()
            record.fromReporter = false
            try record.seal(.init(filename: "old.pdf", description: ""), with: cipher)
            try await record.create(on: env.db)
            try PrivateFiles.folder(folder)
            let sealed = try cipher.sealBytes(Data("%PDF-old\n".utf8), wrapped: record.dataKey(), purpose: "evidence-file", recordID: record.id!.uuidString)
            _ = FileManager.default.createFile(atPath: (folder as NSString).appendingPathComponent(record.id!.uuidString.lowercased() + ".sealed"), contents: sealed)
            // The migration's work, run again over a folder holding one earlier file.
            try await env.db.schema(EvidenceChunk.schema).delete()
            try await MoveEvidenceIntoDatabase(cipher: cipher, directory: folder).prepare(on: env.db)
            #expect(try await EvidenceChunk.readAll(record, cipher: cipher, on: env.db) == Data("%PDF-old\n".utf8))
            #expect(!FileManager.default.fileExists(atPath: folder), "the emptied folder is removed")
        }
    }
}
