import GRDB

extension Catalog {
    /// Every schema change since the first version, in order. Never edit a registered migration:
    /// append a new one, so existing catalogs upgrade in place.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: models, versions, files, blobs") { db in
            try db.execute(sql: """
                CREATE TABLE models (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    repo TEXT NOT NULL,
                    kind TEXT NOT NULL
                );
                CREATE INDEX models_repo ON models(repo);
                CREATE TABLE versions (
                    id INTEGER PRIMARY KEY,
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    commit_hash TEXT NOT NULL,
                    revision TEXT NOT NULL,
                    pulled_at DATETIME NOT NULL,
                    bytes INTEGER NOT NULL,
                    file_count INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('installing', 'installed', 'broken')),
                    verified_at DATETIME,
                    UNIQUE (model_id, commit_hash)
                );
                CREATE INDEX versions_commit ON versions(commit_hash);
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    etag TEXT NOT NULL,
                    is_lfs BOOLEAN NOT NULL,
                    UNIQUE (version_id, path)
                );
                CREATE INDEX files_sha256 ON files(sha256);
                CREATE INDEX files_etag ON files(etag);
                CREATE TABLE blobs (
                    sha256 TEXT PRIMARY KEY NOT NULL,
                    etag TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    verified_at DATETIME NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: jobs, smoke results") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY,
                    model TEXT NOT NULL,
                    revision TEXT NOT NULL,
                    state TEXT NOT NULL,
                    bytes_done INTEGER NOT NULL DEFAULT 0,
                    bytes_total INTEGER,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    error TEXT
                );
                CREATE INDEX jobs_state ON jobs(state);
                ALTER TABLE versions ADD COLUMN smoke_passed BOOLEAN;
                ALTER TABLE versions ADD COLUMN smoke_at DATETIME;
                ALTER TABLE versions ADD COLUMN smoke_detail TEXT;
                """)
        }
        migrator.registerMigration("v3: extracted archives") { db in
            // An extraction belongs to its zip's blob record: removing the last version that holds
            // the zip deletes the blob record, which deletes this one; gc then removes the folder.
            try db.execute(sql: """
                CREATE TABLE extractions (
                    archive_sha256 TEXT PRIMARY KEY NOT NULL REFERENCES blobs(sha256) ON DELETE CASCADE,
                    folder TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    file_count INTEGER NOT NULL,
                    extracted_at DATETIME NOT NULL
                );
                CREATE TABLE extracted_files (
                    archive_sha256 TEXT NOT NULL REFERENCES extractions(archive_sha256) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    PRIMARY KEY (archive_sha256, path)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4: job file filters") { db in
            // The daemon re-runs queued and interrupted pulls after a restart with the same --include/--exclude.
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN filters TEXT")
        }
        migrator.registerMigration("v5: tracked models, pinned versions") { db in
            try db.execute(sql: Catalog.trackingSchema)
        }
        migrator.registerMigration("v6: finished job outcomes") { db in
            // A restarted daemon answers a finished job as the one that ran it did: with the
            // commit it pulled and the report of its `done` event.
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN commit_hash TEXT;
                ALTER TABLE jobs ADD COLUMN report TEXT;
                """)
        }
        migrator.registerMigration("v7: job kinds") { db in
            // Bundles are jobs too: `request` keeps what was asked (JSON) so a restarted daemon can run it again.
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'pull';
                ALTER TABLE jobs ADD COLUMN request TEXT;
                """)
        }
        return migrator
    }

    /// Identifiers of all migrations, oldest first (the catalog's schema versions).
    public static var schemaVersions: [String] { migrator.migrations }
}
