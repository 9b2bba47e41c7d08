// Online backup and restore of the SQLite database with SQLite's backup API (sqlite3_backup_*).
#include "uxf/platform/sqlite_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/url/parse.hpp>

namespace uxf::db {
namespace {

namespace fs = std::filesystem;

struct Connection {
    sqlite3* db = nullptr;
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() { Close(); }
    void Close() {
        if (db) sqlite3_close_v2(db);
        db = nullptr;
    }
    std::string Message() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

// Opens `path`; on failure returns SQLite's message (the file is never created unless `flags` says so).
std::optional<std::string> Open(Connection& c, const fs::path& path, int flags) {
    int rc = sqlite3_open_v2(path.c_str(), &c.db, flags, nullptr);
    if (rc == SQLITE_OK) return std::nullopt;
    std::string message = c.Message();
    c.Close();
    return message;
}

// Runs `sql` and returns the first column of every row, or SQLite's error message.
Result<std::vector<std::string>> Rows(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return Error::Invalid(sqlite3_errmsg(db));
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    std::string message = sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return Error::Invalid(message);
    return out;
}

void MustRun(sqlite3* db, const char* sql) {
    auto r = Rows(db, sql);
    if (!r.ok()) throw std::runtime_error(fmt::format("{}: {}", sql, r.error().message));
}

void SyncPath(const fs::path& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(fmt::format("open {}: {}", path.string(), std::strerror(errno)));
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error(fmt::format("fsync {}: {}", path.string(), std::strerror(errno)));
}

void RemoveWithSidecars(const fs::path& file) {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(file.string() + suffix, ec);
}

// Copies `src` (already inside the read transaction that fixes the snapshot) into the new file `tmp`.
CopyReport CopyPages(sqlite3* src, const fs::path& tmp, const BackupOptions& options) {
    auto started = std::chrono::steady_clock::now();
    RemoveWithSidecars(tmp);
    Connection out;
    if (auto e = Open(out, tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
        throw std::runtime_error(fmt::format("cannot create {}: {}", tmp.string(), *e));
    sqlite3_backup* backup = sqlite3_backup_init(out.db, "main", src, "main");
    if (!backup) throw std::runtime_error(fmt::format("backup: {}", out.Message()));
    CopyReport report;
    int rc = SQLITE_OK;
    auto busy_since = std::chrono::steady_clock::now();
    for (;;) {
        rc = sqlite3_backup_step(backup, options.pages_per_step);
        ++report.steps;
        if (rc == SQLITE_DONE) break;
        bool busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
        if (rc != SQLITE_OK && !busy) break;
        if (!busy) busy_since = std::chrono::steady_clock::now();
        if (busy && std::chrono::steady_clock::now() - busy_since > options.busy_timeout) break;
        std::this_thread::sleep_for(options.pause);
    }
    report.pages = sqlite3_backup_pagecount(backup);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        out.Close();
        RemoveWithSidecars(tmp);
        throw std::runtime_error(fmt::format("backup step: {}", sqlite3_errstr(rc)));
    }
    // One self-contained file: the copy keeps the source's WAL flag in its header otherwise.
    MustRun(out.db, "PRAGMA journal_mode=DELETE");
    auto page_size = Rows(out.db, "PRAGMA page_size");
    if (page_size.ok() && !page_size->empty()) report.page_size = std::stoll(page_size->front());
    out.Close();
    SyncPath(tmp, O_RDONLY);
    report.bytes = static_cast<std::int64_t>(fs::file_size(tmp));
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

// Opens `file` read-only and starts the read transaction whose snapshot the copy will be.
Result<bool> BeginSnapshot(Connection& c, const fs::path& file, const BackupOptions& options) {
    if (auto e = Open(c, file, SQLITE_OPEN_READONLY))
        return Error::Invalid(fmt::format("cannot open {}: {}", file.string(), *e));
    sqlite3_busy_timeout(c.db, static_cast<int>(options.busy_timeout.count()));
    MustRun(c.db, "BEGIN");
    if (auto r = Rows(c.db, "SELECT count(*) FROM sqlite_master"); !r.ok())
        return Error::Invalid(
            fmt::format("{} is not a readable SQLite database: {}", file.string(), r.error().message));
    return true;
}

bool HasSqliteHeader(const fs::path& file) {
    char header[16] = {};
    std::ifstream in(file, std::ios::binary);
    return in.read(header, sizeof header) && std::memcmp(header, "SQLite format 3", 16) == 0;
}

Error Refuse(std::string message) { return Error::Make(ErrorCode::kInvalidInput, "refused", std::move(message)); }

fs::path TempBeside(const fs::path& dest) {
    return dest.parent_path() / fmt::format(".{}.tmp-{}", dest.filename().string(), ::getpid());
}

}  // namespace

std::optional<std::string> SqliteFile(const std::string& url) {
    if (!url.starts_with("sqlite:")) return std::nullopt;
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty() || path.find(":memory:") != std::string::npos) return std::nullopt;
    return path;
}

Result<CopyReport> BackupSqlite(const std::string& source, const std::string& dest, const BackupOptions& options) {
    std::error_code ec;
    if (dest.empty()) return Refuse("give the backup file to write");
    if (!fs::is_regular_file(source, ec))
        return Refuse(fmt::format("no SQLite database at {} (check UXFLOW_DATA_DIR / UXFLOW_DATABASE_URL)", source));
    fs::path out = fs::absolute(dest, ec);
    if (fs::is_directory(out, ec)) return Refuse(fmt::format("{} is a folder; give a file name", dest));
    if (!fs::is_directory(out.parent_path(), ec))
        return Refuse(fmt::format("the folder {} does not exist", out.parent_path().string()));
    if (fs::exists(out, ec) && fs::equivalent(out, source, ec))
        return Refuse(fmt::format("{} is the live database itself", dest));
    if (fs::exists(out, ec) && !options.overwrite)
        return Refuse(fmt::format("{} already exists (pass --force to replace it)", dest));
    Connection src;
    auto snapshot = BeginSnapshot(src, source, options);
    if (!snapshot.ok()) return snapshot.error();
    fs::path tmp = TempBeside(out);
    CopyReport report = CopyPages(src.db, tmp, options);
    src.Close();  // ends the read transaction
    fs::rename(tmp, out);
    SyncPath(out.parent_path(), O_RDONLY | O_DIRECTORY);
    return report;
}

Result<CopyReport> RestoreSqlite(const std::string& file, const std::string& dest) {
    std::error_code ec;
    fs::path target = fs::absolute(dest, ec);
    for (const char* suffix : {"", "-wal", "-journal"}) {
        fs::path p = target.string() + suffix;
        if (fs::exists(p, ec))
            return Refuse(
                fmt::format("{} already exists: restore only into an empty data location (stop the server and move the "
                            "database away first)",
                            p.string()));
    }
    if (!fs::is_regular_file(file, ec)) return Refuse(fmt::format("no backup file at {}", file));
    if (!HasSqliteHeader(file)) return Refuse(fmt::format("{} is not a SQLite database", file));
    Connection src;
    auto snapshot = BeginSnapshot(src, file, {});
    if (!snapshot.ok()) return snapshot.error();
    auto check = Rows(src.db, "PRAGMA integrity_check");
    if (!check.ok()) return Refuse(fmt::format("{} fails the integrity check: {}", file, check.error().message));
    if (check->size() != 1 || check->front() != "ok")
        return Refuse(fmt::format("{} fails the integrity check: {}", file, check->empty() ? "" : check->front()));
    auto tables = Rows(src.db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!tables.ok() || tables->empty())
        return Refuse(
            fmt::format("{} is a SQLite database but not a UX-Flow-Engine backup (no schema_migrations)", file));
    fs::create_directories(target.parent_path());
    fs::path tmp = TempBeside(target);
    CopyReport report = CopyPages(src.db, tmp, {});
    src.Close();
    // RENAME_NOREPLACE: a database created meanwhile (a server started on the location) is never overwritten.
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
        int err = errno;
        RemoveWithSidecars(tmp);
        if (err == EEXIST) return Refuse(fmt::format("{} appeared during the restore; nothing was replaced", dest));
        throw std::runtime_error(fmt::format("rename to {}: {}", target.string(), std::strerror(err)));
    }
    SyncPath(target.parent_path(), O_RDONLY | O_DIRECTORY);
    return report;
}

std::string PostgresBackupAdvice(const std::string& url, const std::string& file) {
    auto quote = [](std::string_view v) {
        bool plain = !v.empty() && v.find_first_not_of(
                                       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                       "_-.:/@%+=,") == std::string_view::npos;
        if (plain) return std::string(v);
        std::string out = "'";
        for (char c : v) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return out + "'";
    };
    std::string args;
    if (auto parsed = boost::urls::parse_uri(url)) {
        auto add = [&](const char* flag, std::string_view v) {
            if (!v.empty()) args += fmt::format(" --{}={}", flag, quote(v));
        };
        add("host", parsed->host());
        add("port", parsed->port());
        add("username", parsed->user());
        std::string db = parsed->path();
        add("dbname", db.starts_with("/") ? db.substr(1) : db);
    }
    std::string f = quote(file.empty() ? "uxflow.dump" : file);
    return fmt::format(
        "The database is PostgreSQL: back it up and restore it with PostgreSQL's tools (give the password in "
        "PGPASSWORD or ~/.pgpass):\n"
        "  pg_dump --format=custom{0} --file={1}\n"
        "  pg_restore --no-owner --exit-on-error{0} {1}    # into an empty database, then `uxflow migrate`\n",
        args, f);
}

}  // namespace uxf::db
