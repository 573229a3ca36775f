import Foundation

/// The datasets of one page of a DCAT(-AP) catalogue, and the next page (Hydra paging, as Civic's `/catalog.jsonld`
/// and ckanext-dcat's `catalog.jsonld?page=` give it).
struct DCATPage {
    var datasets: [RemoteDataset]
    var next: String?

    private static let dcat = "http://www.w3.org/ns/dcat#"
    private static let dct = "http://purl.org/dc/terms/"
    private static let foaf = "http://xmlns.com/foaf/0.1/"
    private static let vcard = "http://www.w3.org/2006/vcard/ns#"
    private static let hydra = "http://www.w3.org/ns/hydra/core#"

    /// Reads a page from its bytes: JSON-LD, or Turtle (by `Content-Type`, else by the first byte).
    static func read(_ data: Data, url: String, contentType: String?) throws -> DCATPage {
        let type = (contentType ?? "").lowercased()
        let first = data.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        let json = type.contains("json") || (!type.contains("turtle") && (first == UInt8(ascii: "{") || first == UInt8(ascii: "[")))
        let graph = json ? try JSONLDReader.read(data, url: url) : try TurtleReader.read(data, url: url)
        return DCATPage(graph: graph)
    }

    init(graph: RDFGraph) {
        datasets = graph.instances(of: DCATPage.dcat + "Dataset").map { DCATPage.dataset($0, graph) }
        next = nil
        for subject in graph.order {
            if let link = graph.link(subject, DCATPage.hydra + "next") ?? graph.link(subject, DCATPage.hydra + "nextPage") {
                next = link
                break
            }
        }
    }

    private static func dataset(_ subject: String, _ graph: RDFGraph) -> RemoteDataset {
        let identifier = graph.text(subject, dct + "identifier")
        let publisher = graph.objects(subject, dct + "publisher").first?.node
        let publisherName = publisher.flatMap {
            graph.text($0, foaf + "name") ?? graph.text($0, vcard + "fn") ?? graph.text($0, dct + "title")
                ?? graph.text($0, "http://www.w3.org/2004/02/skos/core#prefLabel")
        }
        let files = graph.objects(subject, dcat + "distribution").compactMap(\.node).compactMap { distribution -> RemoteFile? in
            guard let url = graph.link(distribution, dcat + "downloadURL") ?? graph.link(distribution, dcat + "accessURL") else { return nil }
            let format =
                graph.text(distribution, dcat + "mediaType") ?? graph.text(distribution, dct + "format")
            return RemoteFile(
                id: distribution.hasPrefix("_:") ? url : distribution,
                url: url,
                name: graph.text(distribution, dct + "title"),
                format: format
            )
        }
        // A 全国地方公共団体コード as the publisher's identifier (Civic writes it so), else as the spatial literal.
        let code = [publisher.flatMap { graph.text($0, dct + "identifier") }, graph.text(subject, dct + "spatial")].lazy.compactMap { $0 }
            .first { $0.count == 6 && $0.allSatisfy(\.isNumber) }
        return RemoteDataset(
            id: subject.hasPrefix("_:") ? (identifier ?? subject) : subject,
            name: identifier,
            title: graph.text(subject, dct + "title") ?? identifier ?? subject,
            municipalityCode: code,
            publisher: publisherName,
            license: graph.link(subject, dct + "license")
                ?? graph.objects(subject, dcat + "distribution").compactMap(\.node).lazy.compactMap {
                    graph.link($0, dct + "license")
                }.first,
            page: graph.link(subject, dcat + "landingPage") ?? (subject.hasPrefix("http") ? subject : nil),
            modified: graph.text(subject, dct + "modified"),
            updateFrequency: graph.text(subject, dct + "accrualPeriodicity"),
            files: files
        )
    }
}
