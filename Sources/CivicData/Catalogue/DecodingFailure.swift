public import Foundation

/// A JSON document that did not decode, as a person reads it: where (`sources[0].name`) and what. Shared by every
/// reader of a configuration or a body (schemas, harvest.json, a GeoJSON feature sent to the API).
public enum DecodingFailure {
    /// The coding path as written in the document: `fields[3].name`; empty at the top level.
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    /// `sources[0].name is missing`, `sources[0].type: Cannot initialize Kind from invalid String value ftp`.
    public static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            let path = path(context.codingPath)
            return (path.isEmpty ? "" : path + ".") + "\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = path(context.codingPath)
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
