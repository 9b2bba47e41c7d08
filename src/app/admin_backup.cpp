#include "admin_backup.hpp"

#include <fmt/format.h>

#include "uxf/platform/sqlite_backup.hpp"

namespace uxf::app {
namespace {

std::string Describe(const db::CopyReport& r) {
    return fmt::format("{} pages of {} bytes, {} bytes written, {} steps, {:.3f} s", r.pages, r.page_size, r.bytes,
                       r.steps, r.seconds);
}

// The SQLite file of the configured database, or the refusal (with pg_dump/pg_restore advice) printed on `err`.
std::optional<std::string> SqliteOrExplain(const Config& config, const std::string& file, std::ostream& err) {
    if (auto path = db::SqliteFile(config.db.url)) return path;
    if (config.db.url.starts_with("postgres"))
        err << db::PostgresBackupAdvice(config.db.url, file);
    else
        err << "the database URL names no SQLite file; nothing to copy\n";
    return std::nullopt;
}

}  // namespace

int AdminBackup(const Config& config, const std::string& file, bool overwrite, std::ostream& out, std::ostream& err) {
    auto source = SqliteOrExplain(config, file, err);
    if (!source) return 2;
    db::BackupOptions options;
    options.overwrite = overwrite;
    auto r = db::BackupSqlite(*source, file, options);
    if (!r.ok()) {
        err << "backup refused: " << r.error().message << "\n";
        return 2;
    }
    out << fmt::format("backed up {} to {}: {}\n", *source, file, Describe(*r));
    out << "The secrets are not in the backup: keep the data dir's jwt_secret and secret_key files (or your "
           "UXFLOW_JWT_SECRET and UXFLOW_SECRET_KEY) with it.\n";
    return 0;
}

int AdminRestore(const Config& config, const std::string& file, std::ostream& out, std::ostream& err) {
    auto target = SqliteOrExplain(config, file, err);
    if (!target) return 2;
    auto r = db::RestoreSqlite(file, *target);
    if (!r.ok()) {
        err << "restore refused: " << r.error().message << "\n";
        return 2;
    }
    out << fmt::format("restored {} to {}: {}\n", file, *target, Describe(*r));
    out << fmt::format(
        "The server applies newer migrations when it starts. Secrets are not part of a backup: before starting it, "
        "copy the jwt_secret and secret_key files of the old data dir into {} or set UXFLOW_JWT_SECRET and "
        "UXFLOW_SECRET_KEY as before; otherwise new ones are generated, sessions end and 2FA seeds cannot be "
        "opened.\n",
        config.data_dir);
    return 0;
}

}  // namespace uxf::app
