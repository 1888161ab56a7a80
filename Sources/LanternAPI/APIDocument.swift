import Foundation

/// The OpenAPI document the generated server was made from, as served at
/// `/api/v1/openapi.yaml`, and its JSON copy for the reference page.
public enum APIDocument {
    public static let yaml: Data = load("openapi", "yaml")
    public static let json: Data = load("openapi", "json")

    private static func load(_ name: String, _ ext: String) -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext), let data = try? Data(contentsOf: url) else {
            fatalError("The API document \(name).\(ext) is missing from the build")
        }
        return data
    }
}
