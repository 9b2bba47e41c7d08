#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "uxf/core/result.hpp"

namespace uxf::db {

/// What a backup or restore copied.
struct CopyReport {
    std::int64_t pages = 0;
    std::int64_t page_size = 0;
    std::int64_t bytes = 0;  ///< size of the file written
    int steps = 0;           ///< backup steps taken (each copies at most `pages_per_step`)
    double seconds = 0;
};

struct BackupOptions {
    int pages_per_step = 256;                      ///< 1 MiB at 4 KiB pages
    std::chrono::milliseconds pause{2};            ///< between steps, so the server's I/O goes on
    std::chrono::milliseconds busy_timeout{5000};  ///< waiting for a lock on the live database
    bool overwrite = false;                        ///< replace an existing destination file
};

/// The file of a `sqlite:` database URL; nullopt for another backend or an in-memory database.
std::optional<std::string> SqliteFile(const std::string& url);

/// Copies the live SQLite database at `source` (opened read-only) to `dest` with SQLite's online backup API,
/// `pages_per_step` pages at a time. One read transaction spans every step, so the copy is the database as
/// it was when the backup started (WAL mode: writers go on meanwhile), and it is written to a temporary file
/// beside `dest`, synced, and renamed over it. Refusals (no database, `dest` exists or is the live file) are
/// errors; I/O failures throw std::runtime_error.
Result<CopyReport> BackupSqlite(const std::string& source, const std::string& dest, const BackupOptions& options = {});

/// Checks that `file` is a SQLite database that passes `PRAGMA integrity_check` and holds `schema_migrations`,
/// then copies it to `dest`, which must not exist yet (nor a `-wal` or `-journal` beside it), through a
/// temporary file and a rename. The server migrates the copy forward when it starts.
Result<CopyReport> RestoreSqlite(const std::string& file, const std::string& dest);

/// The pg_dump and pg_restore commands for a `postgres://` URL, with its host, port, user and database filled in
/// and never its password.
std::string PostgresBackupAdvice(const std::string& url, const std::string& file);

}  // namespace uxf::db
