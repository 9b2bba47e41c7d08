#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "uxf/core/clock.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::db {
namespace platform_sql {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace {

// Keeps the statements for `backend`: lines after `-- sqlite:` or `-- postgres:` belong to that backend only,
// until `-- both:`.
std::string DialectFilter(std::string_view sql, Backend backend) {
    std::string out;
    enum { kBoth, kSqlite, kPostgres } section = kBoth;
    while (!sql.empty()) {
        auto nl = sql.find('\n');
        std::string_view line = sql.substr(0, nl);
        sql = nl == std::string_view::npos ? std::string_view{} : sql.substr(nl + 1);
        if (line.starts_with("-- sqlite:")) {
            section = kSqlite;
            continue;
        }
        if (line.starts_with("-- postgres:")) {
            section = kPostgres;
            continue;
        }
        if (line.starts_with("-- both:")) {
            section = kBoth;
            continue;
        }
        bool keep = section == kBoth || (section == kSqlite && backend == Backend::kSqlite) ||
                    (section == kPostgres && backend == Backend::kPostgres);
        if (keep) {
            out.append(line);
            out.push_back('\n');
        }
    }
    return out;
}

std::vector<std::string> SplitStatements(const std::string& sql) {
    std::vector<std::string> out;
    std::string current;
    std::size_t pos = 0;
    while (pos < sql.size()) {
        auto nl = sql.find('\n', pos);
        std::string line = sql.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? sql.size() : nl + 1;
        auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line.compare(first, 2, "--") == 0) continue;
        current += line;
        current += '\n';
        auto last = line.find_last_not_of(" \t\r");
        if (last != std::string::npos && line[last] == ';') {
            out.push_back(std::move(current));
            current.clear();
        }
    }
    if (current.find_first_not_of(" \t\n\r") != std::string::npos) out.push_back(std::move(current));
    return out;
}

}  // namespace

std::vector<Migration> MigrationsFromFiles(std::string_view module, std::span<const EmbeddedFile> files) {
    std::vector<Migration> out;
    for (const auto& f : files) {
        int version = 0;
        auto [ptr, ec] = std::from_chars(f.name.data(), f.name.data() + f.name.size(), version);
        if (ec != std::errc() || version <= 0)
            throw std::logic_error(fmt::format("migration file {} must start with its number", f.name));
        out.push_back({std::string(module), version, std::string(f.name), f.content});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

int Migrate(Database& db, std::span<const Migration> migrations) {
    db.Write([](Tx& tx) {
        tx.Exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version BIGINT NOT NULL, "
            "name TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))");
    });
    SystemClock clock;
    int applied = 0;
    for (const auto& m : migrations) {
        bool did = db.Write([&](Tx& tx) {
            if (db.backend() == Backend::kPostgres) {
                // One migrator at a time across processes; released at commit.
                tx.Exec("SELECT pg_advisory_xact_lock(7420001)");
            }
            if (tx.QueryOne("SELECT 1 FROM schema_migrations WHERE module = :m AND version = :v",
                            {m.module, std::int64_t{m.version}}))
                return false;
            for (const auto& stmt : SplitStatements(DialectFilter(m.sql, db.backend()))) tx.Exec(stmt);
            tx.Exec("INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (:m, :v, :n, :t)",
                    {m.module, std::int64_t{m.version}, m.name, clock.Now()});
            return true;
        });
        if (did) {
            ++applied;
            spdlog::info("applied migration {}/{}", m.module, m.name);
        }
    }
    return applied;
}

std::vector<Migration> PlatformMigrations() { return MigrationsFromFiles("platform", platform_sql::EmbeddedFiles()); }

}  // namespace uxf::db
