import Cohort
import GRDB

/// Every table of the case store, created by numbered migrations in one `DatabaseMigrator`. A change to a
/// table is a new migration appended here; a store carrying a migration this list lacks was written by a
/// newer Memoir and is refused (`CaseStore.init`).
///
/// Migrations 2–5 say `IF NOT EXISTS` because Memoir before schema 2 created those tables outside the
/// migrator; their layout is unchanged, so such stores simply gain the migration records.
enum StoreMigrations {
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
        m.registerMigration("v2-embeddings") { db in
            // Rows go with their subject, and a re-ingest that changes any encoder input drops them.
            let changed = (["t1_path", "fa_path", "apoe"] + ClinicalField.encoderInputs.map(\.storeColumn))
                .map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS embeddings (
                    subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
                    encoder_hash TEXT NOT NULL,
                    modalities TEXT NOT NULL,
                    vector BLOB NOT NULL,
                    PRIMARY KEY (subject_id, encoder_hash, modalities)
                );
                DROP TRIGGER IF EXISTS embeddings_stale;
                CREATE TRIGGER embeddings_stale AFTER UPDATE ON subjects WHEN \(changed)
                BEGIN
                    DELETE FROM embeddings WHERE subject_id = NEW.id;
                END;
                """)
        }
        m.registerMigration("v3-rerank-states") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS rerank_states (
                    subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
                    reranker_key TEXT NOT NULL,
                    rows INTEGER NOT NULL,
                    states BLOB NOT NULL,
                    PRIMARY KEY (subject_id, reranker_key)
                );
                CREATE TRIGGER IF NOT EXISTS rerank_states_stale AFTER UPDATE ON subjects
                WHEN OLD.caption IS NOT NEW.caption
                BEGIN
                    DELETE FROM rerank_states WHERE subject_id = NEW.id;
                END;
                """)
        }
        m.registerMigration("v4-asks") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS asks (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    question TEXT NOT NULL,
                    modalities TEXT NOT NULL,
                    modalities_used TEXT NOT NULL,
                    reranked INTEGER NOT NULL,
                    prompt_version TEXT NOT NULL,
                    llm_url TEXT NOT NULL,
                    model TEXT,
                    served_model TEXT,
                    generation TEXT NOT NULL,
                    encoder_hash TEXT NOT NULL,
                    index_created_at TEXT NOT NULL,
                    retrieved TEXT NOT NULL,
                    reranked_order TEXT,
                    context_ids TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('answered', 'failed')),
                    diagnosis TEXT,
                    answer TEXT,
                    cited_ids TEXT,
                    raw_response TEXT,
                    error TEXT,
                    timings TEXT NOT NULL,
                    CHECK ((status = 'answered') = (diagnosis IS NOT NULL AND answer IS NOT NULL AND error IS NULL))
                );
                CREATE INDEX IF NOT EXISTS asks_case ON asks(case_id);
                """)
        }
        m.registerMigration("v5-vqa-runs") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS vqa_runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    created_at TEXT NOT NULL,
                    finished_at TEXT,
                    settings TEXT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS vqa_answers (
                    run_id TEXT NOT NULL REFERENCES vqa_runs(id) ON DELETE CASCADE,
                    qa_id TEXT NOT NULL,
                    backbone TEXT NOT NULL,
                    modalities TEXT NOT NULL,
                    result TEXT NOT NULL,
                    failed INTEGER NOT NULL,
                    ask_id INTEGER,
                    PRIMARY KEY (run_id, qa_id, backbone, modalities)
                );
                """)
        }
        m.registerMigration("v6-ask-verdicts") { db in
            // Answers are verified: "unverified" joins the statuses, the diagnosis is optional (only diagnosis
            // questions have one), and the evidence and verdict are kept. SQLite cannot change a CHECK, so
            // the table is rebuilt; rows written before have no verdict and keep their status.
            try db.execute(sql: """
                CREATE TABLE asks_v6 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at TEXT NOT NULL, case_id TEXT NOT NULL, question TEXT NOT NULL,
                    modalities TEXT NOT NULL, modalities_used TEXT NOT NULL, reranked INTEGER NOT NULL,
                    prompt_version TEXT NOT NULL, llm_url TEXT NOT NULL, model TEXT, served_model TEXT,
                    generation TEXT NOT NULL, encoder_hash TEXT NOT NULL, index_created_at TEXT NOT NULL,
                    retrieved TEXT NOT NULL, reranked_order TEXT, context_ids TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('answered', 'unverified', 'failed')),
                    diagnosis TEXT, answer TEXT, cited_ids TEXT, raw_response TEXT, error TEXT, timings TEXT NOT NULL,
                    question_kind TEXT, evidence TEXT, verdict TEXT, verdict_issues TEXT, first_verdict TEXT,
                    repair_rounds INTEGER NOT NULL DEFAULT 0, findings TEXT, prompt_tokens INTEGER, completion_tokens INTEGER,
                    CHECK ((status = 'failed') = (answer IS NULL)),
                    CHECK (status != 'failed' OR error IS NOT NULL),
                    CHECK (status != 'answered' OR (error IS NULL AND (verdict IS NULL OR verdict = 'grounded')))
                );
                INSERT INTO asks_v6 (id, created_at, case_id, question, modalities, modalities_used, reranked, prompt_version, llm_url,
                    model, served_model, generation, encoder_hash, index_created_at, retrieved, reranked_order, context_ids, status,
                    diagnosis, answer, cited_ids, raw_response, error, timings)
                SELECT id, created_at, case_id, question, modalities, modalities_used, reranked, prompt_version, llm_url,
                    model, served_model, generation, encoder_hash, index_created_at, retrieved, reranked_order, context_ids, status,
                    diagnosis, answer, cited_ids, raw_response, error, timings FROM asks;
                DROP TABLE asks;
                ALTER TABLE asks_v6 RENAME TO asks;
                CREATE INDEX asks_case ON asks(case_id);
                """)
        }
        m.registerMigration("v7-visits-registration") { db in
            // Cases become subject visits: each case's subject (ADNIMERGE PTID) and visit, NULL for a case from a
            // one-row-per-subject cohort (its own subject, at baseline), so older stores read unchanged. Then the
            // registration scores and the flag of a case accepted unregistered (NULL: not checked), and every
            // visit of a longitudinal table (cases or not), so a neighbour's later course is known.
            // Columns are added only when missing, like 2–5's IF NOT EXISTS, so re-running on a store whose
            // migration records were lost is harmless.
            let existing = Set(try db.columns(in: "subjects").map(\.name))
            let added = [("ptid", "TEXT"), ("viscode", "TEXT"), ("months", "REAL"), ("exam_date", "TEXT"),
                         ("apoe_from_e4_count", "INTEGER NOT NULL DEFAULT 0"), ("t1_mask_overlap", "REAL"),
                         ("t1_template_correlation", "REAL"), ("fa_mask_overlap", "REAL"), ("fa_template_correlation", "REAL"),
                         ("unregistered", "INTEGER")]
            for (column, type) in added where !existing.contains(column) {
                try db.execute(sql: "ALTER TABLE subjects ADD COLUMN \(column) \(type)")
            }
            try db.execute(sql: """
                CREATE INDEX IF NOT EXISTS subjects_ptid ON subjects(ptid);
                CREATE TABLE IF NOT EXISTS visits (
                    subject_id TEXT NOT NULL,
                    viscode TEXT NOT NULL,
                    months REAL NOT NULL,
                    exam_date TEXT,
                    diagnosis TEXT CHECK (diagnosis IS NULL OR diagnosis IN ('CN', 'MCI', 'Dementia')),
                    mmse REAL, cdrsb REAL,
                    PRIMARY KEY (subject_id, viscode)
                );
                """)
        }
        return m
    }

    /// The migrations this build knows, in order; their count is the schema version.
    static let identifiers: [String] = migrator.migrations
}
