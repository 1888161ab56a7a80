import Foundation
import LanternAPI
import Vapor

/// The API's reference, read from the same document the server was generated from and drawn
/// as an ordinary page: no scripts, nothing fetched from elsewhere.
struct APIReferencePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.signedIn().get("api", "docs", use: show)
    }

    struct Parameter: Encodable { let name: String; let location: String; let required: Bool; let type: String; let description: String }
    struct Operation: Encodable {
        let id: String
        let method: String
        let path: String
        let summary: String
        let description: String
        let parameters: [Parameter]
        let body: String
        let responses: [String]
    }
    struct Group: Encodable { let name: String; let anchor: String; let operations: [Operation] }
    struct Property: Encodable { let name: String; let type: String; let required: Bool; let description: String }
    struct Schema: Encodable { let name: String; let type: String; let properties: [Property] }
    struct View: Encodable {
        let title: String
        let version: String
        let description: [String]
        let groups: [Group]
        let schemas: [Schema]
    }

    /// Built once: the document does not change while Lantern runs.
    static let view: View = {
        let document = (try? JSONSerialization.jsonObject(with: APIDocument.json)) as? [String: Any] ?? [:]
        let info = document["info"] as? [String: Any] ?? [:]
        let components = document["components"] as? [String: Any] ?? [:]
        let sharedParameters = components["parameters"] as? [String: Any] ?? [:]
        let schemas = components["schemas"] as? [String: Any] ?? [:]
        var groups: [String: [Operation]] = [:]
        let paths = document["paths"] as? [String: Any] ?? [:]
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? [String: Any] else { continue }
            let pathParameters = item["parameters"] as? [Any] ?? []
            for method in ["get", "post", "put", "patch", "delete"] {
                guard let op = item[method] as? [String: Any] else { continue }
                let parameters = (pathParameters + (op["parameters"] as? [Any] ?? [])).compactMap { raw -> Parameter? in
                    var p = raw as? [String: Any] ?? [:]
                    if let ref = p["$ref"] as? String { p = sharedParameters[ref.components(separatedBy: "/").last ?? ""] as? [String: Any] ?? [:] }
                    guard let name = p["name"] as? String else { return nil }
                    return Parameter(name: name, location: p["in"] as? String ?? "", required: p["required"] as? Bool ?? false,
                                     type: typeName(p["schema"]), description: p["description"] as? String ?? "")
                }
                let content = ((op["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any]
                let responses = (op["responses"] as? [String: Any] ?? [:]).keys.sorted().map { code -> String in
                    let response = (op["responses"] as? [String: Any])?[code] as? [String: Any] ?? [:]
                    return code == "default" ? "Otherwise: a problem (application/problem+json)" : "\(code): \(response["description"] as? String ?? "")"
                }
                let operation = Operation(id: op["operationId"] as? String ?? "", method: method.uppercased(), path: "/api/v1" + path,
                                          summary: op["summary"] as? String ?? "", description: op["description"] as? String ?? "",
                                          parameters: parameters, body: content.map { typeName($0["schema"]) } ?? "", responses: responses)
                groups[(op["tags"] as? [String])?.first ?? "Other", default: []].append(operation)
            }
        }
        let order = (document["tags"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        return View(
            title: info["title"] as? String ?? "API", version: info["version"] as? String ?? "",
            description: (info["description"] as? String ?? "").components(separatedBy: "\n\n").map { $0.replacingOccurrences(of: "\n", with: " ") },
            groups: order.compactMap { name in groups[name].map { Group(name: name, anchor: "tag-" + name.lowercased().replacingOccurrences(of: " ", with: "-"), operations: $0) } },
            schemas: schemas.keys.sorted().map { name in
                let schema = schemas[name] as? [String: Any] ?? [:]
                let required = Set(schema["required"] as? [String] ?? [])
                let properties = schema["properties"] as? [String: Any] ?? [:]
                return Schema(name: name, type: typeName(schema, expandEnum: true), properties: properties.keys.sorted().map { key in
                    let property = properties[key] as? [String: Any] ?? [:]
                    return Property(name: key, type: typeName(property), required: required.contains(key), description: property["description"] as? String ?? "")
                })
            })
    }()

    /// A schema in a few words: `string`, `array of Supplier`, `one of: low, medium, high`.
    static func typeName(_ raw: Any?, expandEnum: Bool = false) -> String {
        guard let schema = raw as? [String: Any] else { return "" }
        if let ref = schema["$ref"] as? String { return ref.components(separatedBy: "/").last ?? ref }
        if let values = schema["enum"] as? [String] { return "one of: " + values.joined(separator: ", ") }
        let type = schema["type"] as? String ?? "object"
        if type == "array" { return "array of " + typeName(schema["items"]) }
        if let format = schema["format"] as? String { return "\(type) (\(format))" }
        return type
    }

    func show(req: Request) async throws -> Response {
        try await req.render("API/reference", Self.view, title: "API reference")
    }
}
