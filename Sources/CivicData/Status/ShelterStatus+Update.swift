public import Foundation

extension ShelterStatus {
    /// A status update that cannot be applied, with every problem it has, each at its column.
    public struct Rejected: Error, Sendable, Equatable, CustomStringConvertible {
        public struct Problem: Sendable, Equatable, CustomStringConvertible {
            public var column: String
            public var message: String
            public var description: String { "\(column): \(message)" }
        }

        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "; ") }
    }

    /// The record after `patch` is applied to `current` by `actor` at `now`.
    ///
    /// `patch` has JSON Merge Patch's meaning (RFC 7396): a column with a value sets it, a column with nil empties
    /// it, a column left out stays. `current` is the record as stored (every column; nil for a shelter opened outside
    /// the lists, which the patch creates). The rules:
    /// - values are checked against the schema's vocabulary (状態, ペット同行, 情報公開可否, 福祉避難所), counts are whole
    ///   numbers ≥ 0 (full-width digits are read as digits), times RFC 3339, coordinates in range;
    /// - 混雑度, 更新日時 and 更新者 are the server's: a patch may repeat their current value, not change it;
    /// - a listed shelter's ID, 全国共通ID, 名称, 避難所種別 and point come from its list: changed there, not here;
    ///   a shelter opened outside the lists needs an ID, a 名称 and a point, and is 臨時 (1), 臨時避難所, 開設 unless
    ///   told otherwise;
    /// - opening (開設 or 満員 from 未開設, 開設準備中 or 閉鎖) sets 開設日時 to `now` and empties 閉鎖日時, closing sets
    ///   閉鎖日時, going back to 未開設 empties both — unless the patch gives them; 閉鎖日時 cannot precede 開設日時;
    /// - 混雑度 is 満 when 満員, else the band of 避難者数 in 収容人数 while open (`Crowding`), else empty;
    /// - 更新日時 is `now` (RFC 3339, Japan time) and 更新者 `actor`, also for a patch that changes nothing else (staff
    ///   confirming a status).
    ///
    /// - Throws: `Rejected` with every problem found; nothing is applied then.
    public static func apply(_ patch: [String: String?], to current: [String: String]?, by actor: String, at now: Date) throws(Rejected)
        -> [String: String]
    {
        var problems: [Rejected.Problem] = []
        func problem(_ column: String, _ message: String) { problems.append(.init(column: column, message: message)) }
        let known = Set(Column.all)
        var record = current ?? Dictionary(uniqueKeysWithValues: Column.all.map { ($0, "") })
        for column in Column.all where record[column] == nil { record[column] = "" }
        let listed = current != nil && current?[Column.adHoc] != "1"
        for (column, value) in patch.sorted(by: { $0.key < $1.key }) {
            let given = value.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            guard known.contains(column) else {
                problem(column, "no such column in the shelter status table (列がありません)")
                continue
            }
            if Column.computed.contains(column) {
                if given != record[column] { problem(column, "is written by the server (サーバーが記録する項目です)") }
                continue
            }
            if listed && Column.linked.contains(column) {
                if given != record[column] { problem(column, "comes from the shelter list: change it there (避難所一覧で変更してください)") }
                continue
            }
            record[column] = given
        }
        let before = current.flatMap { State(rawValue: $0[Column.state] ?? "") }
        if current == nil {
            if record[Column.adHoc] == "" { record[Column.adHoc] = "1" }
            if record[Column.kind] == "" { record[Column.kind] = Kind.adHoc.rawValue }
            if record[Column.state] == "" { record[Column.state] = State.open.rawValue }
            if record[Column.isPublic] == "" { record[Column.isPublic] = "可" }
            for column in [Column.id, Column.name, Column.latitude, Column.longitude] where record[column] == "" {
                problem(column, "is needed for a shelter opened outside the lists (一覧にない避難所には必要です)")
            }
            if record[Column.adHoc] != "1" { problem(Column.adHoc, "a shelter created by an update is one outside the lists: 1") }
            if record[Column.kind] != Kind.adHoc.rawValue { problem(Column.kind, "a shelter created by an update is a \(Kind.adHoc.rawValue)") }
        }
        // Vocabulary, counts, times, coordinates.
        let vocabularies: [(String, [String])] = [
            (Column.state, State.allCases.map(\.rawValue)), (Column.kind, Kind.allCases.map(\.rawValue)), (Column.pets, ["", "可", "不可"]),
            (Column.isPublic, ["", "可", "否"]), (Column.welfare, ["", "1"]), (Column.adHoc, ["", "1"]),
        ]
        for (column, allowed) in vocabularies where !allowed.contains(record[column] ?? "") {
            problem(column, "must be one of \(allowed.filter { !$0.isEmpty }.joined(separator: ", ")), not '\(record[column] ?? "")'")
        }
        for column in [Column.capacity, Column.evacuees, Column.households] {
            guard let value = record[column], !value.isEmpty else { continue }
            // Full-width digits (a phone's IME) are digits.
            let digits = Width.narrowed(value, dashes: false)
            if digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), digits.utf8.count <= 9, let number = Int(digits) {
                record[column] = String(number)
            } else {
                problem(column, "must be a whole number, 0 or more (0以上の整数), not '\(value)'")
            }
        }
        for column in [Column.openedAt, Column.closedAt] {
            guard let value = record[column], !value.isEmpty, ShelterStatus.date(value) == nil else { continue }
            problem(column, "must be a date and time as RFC 3339 (例 2026-12-06T09:30:00+09:00), not '\(value)'")
        }
        for (column, limit) in [(Column.latitude, 90.0), (Column.longitude, 180.0)] {
            guard let value = record[column], !value.isEmpty else { continue }
            if Double(value).map({ abs($0) > limit || !$0.isFinite }) ?? true {
                problem(column, "must be a number within ±\(Int(limit)), not '\(value)'")
            }
        }
        if let id = record[Column.nationalID], !id.isEmpty, id.utf8.count != 14 || !id.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            problem(Column.nationalID, "must be the 14 digits of the 全国共通避難所・避難場所ID, not '\(id)'")
        }
        guard problems.isEmpty, let after = State(rawValue: record[Column.state] ?? "") else { throw Rejected(problems: problems) }
        // Openings and closings stamp their times, unless the patch gives them.
        let stamp = ShelterStatus.timestamp(now)
        let opening = after == .open || after == .full
        let wasOpen = before == .open || before == .full
        if opening && !wasOpen {
            if patch[Column.openedAt] == nil { record[Column.openedAt] = stamp }
            if patch[Column.closedAt] == nil { record[Column.closedAt] = "" }
        } else if after == .closed && before != .closed {
            if patch[Column.closedAt] == nil { record[Column.closedAt] = stamp }
        } else if after == .notOpen && before != .notOpen {
            if patch[Column.openedAt] == nil { record[Column.openedAt] = "" }
            if patch[Column.closedAt] == nil { record[Column.closedAt] = "" }
        }
        if let opened = record[Column.openedAt].flatMap(ShelterStatus.date), let closed = record[Column.closedAt].flatMap(ShelterStatus.date),
            closed < opened
        {
            throw Rejected(problems: [.init(column: Column.closedAt, message: "is before 開設日時 (開設日時より前です)")])
        }
        // The crowding band.
        let capacity = Int(record[Column.capacity] ?? "") ?? 0
        if after == .full {
            record[Column.crowding] = Crowding.full.rawValue
        } else if after == .open, capacity > 0, let evacuees = Int(record[Column.evacuees] ?? "") {
            record[Column.crowding] = Crowding(evacuees: evacuees, capacity: capacity).rawValue
        } else {
            record[Column.crowding] = ""
        }
        record[Column.updatedAt] = stamp
        record[Column.updatedBy] = actor
        return record
    }

    /// `date` as RFC 3339 in Japan time (+09:00), to the second: how status times are written.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 9 * 3600)
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// An RFC 3339 date and time (with or without fractional seconds), or nil.
    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
