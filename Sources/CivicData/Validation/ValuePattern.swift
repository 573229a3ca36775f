import Foundation

/// A field's `constraints.pattern`, compiled once: a value conforms when the whole of it matches.
///
/// Frictionless patterns are implicitly anchored (XML Schema regular expressions), so `[A-Z]{2}` accepts `AB` but
/// not `ABC`. The expression is ICU's (`NSRegularExpression`), run as `\A(?:pattern)\z`.
struct ValuePattern: Sendable {
    /// The pattern as the schema writes it.
    let pattern: String
    private let expression: NSRegularExpression

    /// Compiles `pattern`; a pattern that is not a regular expression is an error naming the schema and field.
    init(_ pattern: String, schema: String, field: String) throws(SchemaError) {
        self.pattern = pattern
        do {
            // Compiled on its own first: wrapped, a pattern such as `a)(b` would compile.
            _ = try NSRegularExpression(pattern: pattern)
            expression = try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
        } catch {
            throw SchemaError(
                code: .invalidPattern,
                message: "schema '\(schema)', field '\(field)': constraints.pattern is not a regular expression: \(pattern)",
                cause: error
            )
        }
    }

    /// True when the whole of `value` matches.
    func matches(_ value: String) -> Bool {
        expression.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
}
