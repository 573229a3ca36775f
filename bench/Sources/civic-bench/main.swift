// Benchmark driver for bench/geo (run by bench/geo/run.py; release builds only).
//
//   civic-bench transform POINTS OUT [REPEAT] [BATCH]
//       POINTS: N easting then N northing (float64, little-endian) in EPSG:6677. Transforms them to EPSG:6668
//       lon/lat with CoordinateTransform, REPEAT times in one call and REPEAT times in batches of BATCH;
//       writes lon then lat of the last one-call run to OUT and of the last batched run to OUT.batch.
//   civic-bench join POLYGONS_WKT POINTS OUT [REPEAT]
//       POLYGONS_WKT: one polygon per line; POINTS: N lon then N lat (float64). PolygonIndex over the polygons,
//       then containing(x:y:) per point, REPEAT times; writes the polygon index per point (int32, -1 = none).
//
// Only the transform / the lookups are timed (not reading, copying or writing). Prints one JSON object on stdout.
import CivicGeo
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("civic-bench: \(message)\n".utf8))
    exit(2)
}

func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) * 1e-18
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// N x values then N y values, float64.
func readPoints(_ path: String) -> (x: [Double], y: [Double]) {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    let count = data.count / (2 * MemoryLayout<Double>.size)
    var all = [Double](repeating: 0, count: 2 * count)
    all.withUnsafeMutableBytes { target in _ = data.copyBytes(to: target) }
    return (Array(all[0..<count]), Array(all[count...]))
}

func write<T>(_ arrays: [[T]], to path: String) {
    var data = Data()
    for array in arrays { array.withUnsafeBytes { data.append(contentsOf: $0) } }
    guard FileManager.default.createFile(atPath: path, contents: data) else { fail("cannot write \(path)") }
}

func json(_ object: [String: Any]) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { fail("JSON") }
    return String(decoding: data, as: UTF8.self)
}

/// A copy with its own storage (so the copy-on-write copy does not happen inside the timed region).
func fresh(_ values: ArraySlice<Double>) -> [Double] {
    [Double](unsafeUninitializedCapacity: values.count) { buffer, initialized in
        _ = buffer.initialize(from: values)
        initialized = values.count
    }
}

func transformCommand(_ arguments: [String]) throws {
    guard arguments.count >= 2 else { fail("usage: transform POINTS OUT [REPEAT] [BATCH]") }
    let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
    let batch = arguments.count > 3 ? Int(arguments[3]) ?? 4096 : 4096
    let (inputX, inputY) = readPoints(arguments[0])
    let count = inputX.count
    let transform = try CoordinateTransform(from: CRS.planeRectangular(zone: 9)!, to: .jgd2011)
    let clock = ContinuousClock()

    // One call over all the points.
    var times: [Double] = []
    var outX: [Double] = []
    var outY: [Double] = []
    var failed = 0
    for _ in 0..<repeats {
        var xs = fresh(inputX[...])
        var ys = fresh(inputY[...])
        let start = clock.now
        let failures = transform.transform(x: &xs, y: &ys)
        times.append(seconds(clock.now - start))
        failed = failures.count
        outX = xs
        outY = ys
    }
    write([outX, outY], to: arguments[1])

    // In batches, as the record pipeline calls it (the batches are made before the clock starts).
    var batchTimes: [Double] = []
    var batchFailed = 0
    var starts = Array(stride(from: 0, to: count, by: batch))
    if starts.isEmpty { starts = [0] }
    for _ in 0..<repeats {
        var xBatches = starts.map { fresh(inputX[$0..<min($0 + batch, count)]) }
        var yBatches = starts.map { fresh(inputY[$0..<min($0 + batch, count)]) }
        batchFailed = 0
        let start = clock.now
        for index in xBatches.indices {
            batchFailed += transform.transform(x: &xBatches[index], y: &yBatches[index]).count
        }
        batchTimes.append(seconds(clock.now - start))
        outX = Array(xBatches.joined())
        outY = Array(yBatches.joined())
    }
    write([outX, outY], to: arguments[1] + ".batch")

    print(
        json([
            "points": count,
            "seconds": times,
            "median": median(times),
            "failed": failed,
            "batch": batch,
            "batch_seconds": batchTimes,
            "batch_median": median(batchTimes),
            "batch_failed": batchFailed,
            "operations": transform.operations.map(\.description),
        ])
    )
}

func joinCommand(_ arguments: [String]) async throws {
    guard arguments.count >= 3 else { fail("usage: join POLYGONS_WKT POINTS OUT [REPEAT]") }
    let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
    guard let text = try? String(contentsOfFile: arguments[0], encoding: .utf8) else { fail("cannot read \(arguments[0])") }
    let (xs, ys) = readPoints(arguments[1])
    let context = try GEOSContext()
    let polygons = try text.split(separator: "\n").map { try Geometry(wkt: String($0), context: context) }
    let invalid = polygons.filter { !$0.validity.isValid }.count
    let clock = ContinuousClock()

    let buildStart = clock.now
    let index = try PolygonIndex(polygons: polygons, context: context)
    let build = seconds(clock.now - buildStart)

    var times: [Double] = []
    var found = [Int32](repeating: -1, count: xs.count)
    for _ in 0..<repeats {
        let start = clock.now
        for point in xs.indices {
            found[point] = index.containing(x: xs[point], y: ys[point]).map { Int32($0) } ?? -1
        }
        times.append(seconds(clock.now - start))
    }
    // The same lookups on every core: one GEOS context and index per task (PolygonIndex.containing(x:y:polygons:)).
    let wkb = try polygons.map { try $0.wkb() }
    var parallelTimes: [Double] = []
    for _ in 0..<repeats {
        let start = clock.now
        let parallel = try await PolygonIndex.containing(x: xs, y: ys, polygons: wkb)
        parallelTimes.append(seconds(clock.now - start))
        if zip(parallel, found).contains(where: { ($0.map { Int32($0) } ?? -1) != $1 }) { fail("parallel join differs from the sequential one") }
    }
    write([found], to: arguments[2])
    print(
        json([
            "parallel_seconds": parallelTimes,
            "parallel_median": median(parallelTimes),
            "workers": ProcessInfo.processInfo.activeProcessorCount,
            "points": xs.count,
            "polygons": polygons.count,
            "invalid_polygons": invalid,
            "build_seconds": build,
            "seconds": times,
            "median": median(times),
            "matched": found.filter { $0 >= 0 }.count,
        ])
    )
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "transform": try transformCommand(Array(arguments.dropFirst()))
    case "join": try await joinCommand(Array(arguments.dropFirst()))
    default: fail("usage: civic-bench transform POINTS OUT [REPEAT] [BATCH] | join POLYGONS_WKT POINTS OUT [REPEAT]")
    }
} catch {
    fail("\(error)")
}
