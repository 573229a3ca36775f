import Foundation
import Testing

@testable import CivicData

/// The shelter status table's rules: crowding bands, opening and closing times, what only the server or the shelter
/// list may change, shelters opened outside the lists, and every problem of a refused update at its column.
@Suite struct ShelterStatusTests {
    typealias Column = ShelterStatus.Column
    static let now = Date(timeIntervalSince1970: 1_796_515_200)  // 2026-12-06T00:00:00Z
    static let stamp = "2026-12-06T09:00:00+09:00"

    /// A listed shelter as the status table starts it: 未開設, its capacity from the list.
    static func listed(capacity: String = "200") -> [String: String] {
        var record = Dictionary(uniqueKeysWithValues: Column.all.map { ($0, "") })
        record[Column.id] = "0000000012"
        record[Column.name] = "焼津市立小川小学校"
        record[Column.kind] = ShelterStatus.Kind.shelter.rawValue
        record[Column.state] = ShelterStatus.State.notOpen.rawValue
        record[Column.capacity] = capacity
        record[Column.isPublic] = "可"
        record[Column.latitude] = "34.86"
        record[Column.longitude] = "138.31"
        return record
    }

    @Test func crowdingBandsFollowTheThresholds() {
        let bands: [(Int, Int, ShelterStatus.Crowding)] = [
            (0, 100, .vacant), (29, 100, .vacant), (30, 100, .someWhatCrowded), (59, 100, .someWhatCrowded), (60, 100, .crowded),
            (79, 100, .crowded), (80, 100, .full), (150, 100, .full), (1, 3, .someWhatCrowded), (2, 3, .crowded), (1, 4, .vacant),
        ]
        for (evacuees, capacity, band) in bands {
            #expect(ShelterStatus.Crowding(evacuees: evacuees, capacity: capacity) == band, "\(evacuees)/\(capacity)")
        }
    }

    @Test func openingStampsTheTimeComputesCrowdingAndNamesWhoAndWhen() throws {
        let opened = try ShelterStatus.apply(
            [Column.state: "開設", Column.evacuees: "１２０", Column.households: "45"],
            to: Self.listed(),
            by: "token:0123456789abcdef",
            at: Self.now
        )
        #expect(opened[Column.state] == "開設" && opened[Column.openedAt] == Self.stamp && opened[Column.closedAt] == "")
        // Full-width digits from a phone are digits; 120 of 200 is 60 %: 混雑.
        #expect(opened[Column.evacuees] == "120" && opened[Column.crowding] == "混雑")
        #expect(opened[Column.updatedAt] == Self.stamp && opened[Column.updatedBy] == "token:0123456789abcdef")
        // The static columns are untouched.
        for column in Column.linked { #expect(opened[column] == Self.listed()[column]) }
        // A later count keeps the opening time; 満員 is 満 whatever the count.
        let later = Self.now.addingTimeInterval(600)
        let counted = try ShelterStatus.apply([Column.evacuees: "20"], to: opened, by: "staff", at: later)
        #expect(counted[Column.openedAt] == Self.stamp && counted[Column.crowding] == "空いています")
        #expect(counted[Column.updatedAt] == "2026-12-06T09:10:00+09:00")
        let full = try ShelterStatus.apply([Column.state: "満員"], to: counted, by: "staff", at: later)
        #expect(full[Column.crowding] == "満" && full[Column.openedAt] == Self.stamp)
        // No capacity, or no count: no band.
        let uncounted = try ShelterStatus.apply([Column.state: "開設", Column.evacuees: "5"], to: Self.listed(capacity: ""), by: "s", at: Self.now)
        #expect(uncounted[Column.crowding] == "")
        // A patch that changes nothing still says who confirmed the status when.
        let confirmed = try ShelterStatus.apply([:], to: counted, by: "other", at: later.addingTimeInterval(60))
        #expect(confirmed[Column.updatedBy] == "other" && confirmed[Column.updatedAt] == "2026-12-06T09:11:00+09:00")
    }

    @Test func closingReopeningAndStandingDownSetTheirTimes() throws {
        let opened = try ShelterStatus.apply([Column.state: "開設"], to: Self.listed(), by: "s", at: Self.now)
        let closed = try ShelterStatus.apply([Column.state: "閉鎖"], to: opened, by: "s", at: Self.now.addingTimeInterval(3600))
        #expect(closed[Column.openedAt] == Self.stamp && closed[Column.closedAt] == "2026-12-06T10:00:00+09:00" && closed[Column.crowding] == "")
        let reopened = try ShelterStatus.apply([Column.state: "開設"], to: closed, by: "s", at: Self.now.addingTimeInterval(7200))
        #expect(reopened[Column.openedAt] == "2026-12-06T11:00:00+09:00" && reopened[Column.closedAt] == "")
        let standingDown = try ShelterStatus.apply([Column.state: "未開設"], to: reopened, by: "s", at: Self.now.addingTimeInterval(9000))
        #expect(standingDown[Column.openedAt] == "" && standingDown[Column.closedAt] == "")
        // Times given by the patch are kept (a shelter opened before anyone could update it).
        let given = try ShelterStatus.apply(
            [Column.state: "開設", Column.openedAt: "2026-12-06T07:45:00+09:00"],
            to: Self.listed(),
            by: "s",
            at: Self.now
        )
        #expect(given[Column.openedAt] == "2026-12-06T07:45:00+09:00")
        #expect(throws: ShelterStatus.Rejected.self) {
            try ShelterStatus.apply([Column.closedAt: "2026-12-06T07:00:00+09:00"], to: given, by: "s", at: Self.now)
        }
    }

    @Test func theServersAndTheListsColumnsAreNotAnUpdatesToChange() throws {
        let record = try ShelterStatus.apply([Column.state: "開設"], to: Self.listed(), by: "s", at: Self.now)
        var caught: ShelterStatus.Rejected?
        do {
            _ = try ShelterStatus.apply(
                [Column.crowding: "空いています", Column.name: "別の名前", Column.latitude: "35.0", Column.evacuees: "-3", Column.state: "開いている", "色": "赤"],
                to: record,
                by: "s",
                at: Self.now
            )
        } catch {
            caught = error
        }
        let problems = try #require(caught).problems
        #expect(Set(problems.map(\.column)) == [Column.crowding, Column.name, Column.latitude, "色", Column.evacuees, Column.state])
        #expect(problems.first { $0.column == Column.name }?.message.contains("避難所一覧") == true)
        // Repeating what is there (a form sending the whole record back) is no change.
        let resent = try ShelterStatus.apply(
            record.mapValues { Optional($0) }.merging([Column.evacuees: "10"]) { $1 },
            to: record,
            by: "s",
            at: Self.now
        )
        #expect(resent[Column.evacuees] == "10" && resent[Column.name] == record[Column.name])
        // null empties a column.
        let cleared = try ShelterStatus.apply([Column.note: "毛布不足"], to: resent, by: "s", at: Self.now)
        let emptied: [String: String?] = [Column.note: nil]
        let emptiedRecord = try ShelterStatus.apply(emptied, to: cleared, by: "s", at: Self.now)
        #expect(emptied.count == 1 && cleared[Column.note] == "毛布不足" && emptiedRecord[Column.note] == "")
    }

    @Test func aShelterOpenedOutsideTheListsNeedsANameAndAPoint() throws {
        let created = try ShelterStatus.apply(
            [Column.id: "NEW001", Column.name: "七尾市中島公民館（臨時）", Column.latitude: "37.1", Column.longitude: "136.8", Column.evacuees: "30"],
            to: nil,
            by: "s",
            at: Self.now
        )
        #expect(created[Column.adHoc] == "1" && created[Column.kind] == "臨時避難所" && created[Column.state] == "開設")
        #expect(created[Column.openedAt] == Self.stamp && created[Column.isPublic] == "可" && created[Column.crowding] == "")
        // Its own columns stay its own to change.
        let moved = try ShelterStatus.apply([Column.latitude: "37.11", Column.name: "中島公民館"], to: created, by: "s", at: Self.now)
        #expect(moved[Column.latitude] == "37.11" && moved[Column.name] == "中島公民館")
        var caught: ShelterStatus.Rejected?
        do { _ = try ShelterStatus.apply([Column.name: "名前だけ"], to: nil, by: "s", at: Self.now) } catch { caught = error }
        #expect(Set(try #require(caught).problems.map(\.column)) == [Column.id, Column.latitude, Column.longitude])
    }

    @Test func theSchemaDescribesTheTable() throws {
        let schema = ShelterStatus.schema
        #expect(schema.id == "shelter_status" && schema.fields.map(\.name) == Column.all)
        #expect(schema.civic.idField == Column.id && schema.civic.latitudeField == Column.latitude)
        let state = try #require(schema.fields.first { $0.name == Column.state })
        #expect(state.constraints?.enum == ["未開設", "開設準備中", "開設", "満員", "閉鎖"] && state.constraints?.required == true)
        #expect(schema.fields.first { $0.name == Column.evacuees }?.kind == .integer)
        // The times the rules write match the schema's pattern.
        let pattern = try #require(schema.fields.first { $0.name == Column.updatedAt }?.constraints?.pattern)
        #expect(Self.stamp.range(of: pattern, options: .regularExpression) != nil)
    }
}
