import Foundation
import GRDB

/// Tables and migrations of the case store, and row ↔ `StoredCase` mapping.
enum CaseStoreSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-subjects") { db in
            try db.execute(sql: """
                CREATE TABLE subjects (
                    id TEXT PRIMARY KEY NOT NULL,
                    diagnosis TEXT NOT NULL CHECK (diagnosis IN ('CN', 'MCI', 'Dementia')),
                    age REAL, sex TEXT CHECK (sex IN ('F', 'M')), education REAL,
                    mmse REAL CHECK (mmse BETWEEN 0 AND 30), cdrsb REAL CHECK (cdrsb BETWEEN 0 AND 18),
                    adas11 REAL CHECK (adas11 BETWEEN 0 AND 70), adas13 REAL CHECK (adas13 BETWEEN 0 AND 85),
                    moca REAL CHECK (moca BETWEEN 0 AND 30), apoe TEXT,
                    t1_path TEXT, fa_path TEXT,
                    brain_parenchymal_fraction REAL, white_matter_fa REAL,
                    split TEXT NOT NULL CHECK (split IN ('train', 'test')),
                    caption TEXT NOT NULL
                );
                CREATE INDEX subjects_split ON subjects(split);
                CREATE TABLE cohort_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                """)
        }
        return m
    }

    static func upsert(_ c: StoredCase, db: Database) throws {
        let r = c.record
        try db.execute(sql: """
            INSERT INTO subjects (id, diagnosis, age, sex, education, mmse, cdrsb, adas11, adas13, moca, apoe, t1_path, fa_path,
                                  brain_parenchymal_fraction, white_matter_fa, split, caption)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET diagnosis = excluded.diagnosis, age = excluded.age, sex = excluded.sex,
                education = excluded.education, mmse = excluded.mmse, cdrsb = excluded.cdrsb, adas11 = excluded.adas11,
                adas13 = excluded.adas13, moca = excluded.moca, apoe = excluded.apoe, t1_path = excluded.t1_path,
                fa_path = excluded.fa_path, brain_parenchymal_fraction = excluded.brain_parenchymal_fraction,
                white_matter_fa = excluded.white_matter_fa, split = excluded.split, caption = excluded.caption
            """, arguments: [r.subjectID, r.diagnosis.rawValue, r.age, r.sex?.rawValue, r.education, r.mmse, r.cdrsb, r.adas11,
                             r.adas13, r.moca, r.apoe?.csvValue, r.t1Path, r.faPath, c.measures.brainParenchymalFraction,
                             c.measures.whiteMatterFA, c.split.rawValue, c.caption])
    }

    static func storedCase(from row: Row) throws -> StoredCase {
        let id: String = row["id"]
        guard let diagnosis = Diagnosis(rawValue: row["diagnosis"]), let split = Split(rawValue: row["split"]) else {
            throw CohortError.database("subject \(id) has an invalid diagnosis or split")
        }
        let apoeText: String? = row["apoe"]
        let sexText: String? = row["sex"]
        let record = CaseRecord(
            subjectID: id, diagnosis: diagnosis, age: row["age"], sex: sexText.flatMap(Sex.init(rawValue:)),
            education: row["education"], mmse: row["mmse"], cdrsb: row["cdrsb"], adas11: row["adas11"], adas13: row["adas13"],
            moca: row["moca"], apoe: apoeText.flatMap(APOEGenotype.init(parsing:)), t1Path: row["t1_path"], faPath: row["fa_path"])
        let measures = ImageMeasures(brainParenchymalFraction: row["brain_parenchymal_fraction"], whiteMatterFA: row["white_matter_fa"])
        return StoredCase(record: record, split: split, measures: measures, caption: row["caption"])
    }
}
