// SQLite statements with a per-connection cache of prepared statements.
#include <sqlite3.h>

#include <mutex>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "native.hpp"

namespace uxf::db::native {
namespace {

constexpr std::size_t kMaxCached = 512;

bool IsBusy(int rc) { return (rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED; }

// Only plain data statements are worth keeping; DDL and pragmas are prepared for one use.
bool Cacheable(std::string_view sql) {
    for (std::string_view verb :
         {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
        if (sql.size() >= verb.size() && std::equal(verb.begin(), verb.end(), sql.begin(), [](char a, char b) {
                return a == (b >= 'a' && b <= 'z' ? b - 32 : b);
            }))
            return true;
    return false;
}

class SqliteNative final : public Connection, public Tx {
  public:
    explicit SqliteNative(sqlite3* db) : db_(db) {}
    ~SqliteNative() override { Reset(); }

    Tx& Begin(bool write) override {
        Run(write ? "BEGIN IMMEDIATE" : "BEGIN", {}, nullptr);
        return *this;
    }
    Tx& Autocommit() override { return *this; }
    void Commit() override { Run("COMMIT", {}, nullptr); }
    void Rollback() noexcept override {
        if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void Reset() override {
        for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
        cache_.clear();
    }

    std::vector<Row> Query(std::string_view sql, std::span<const Value> params) override {
        std::vector<Row> rows;
        Run(sql, params, &rows);
        return rows;
    }
    std::int64_t Exec(std::string_view sql, std::span<const Value> params) override {
        Run(sql, params, nullptr);
        return sqlite3_changes64(db_);
    }

  private:
    [[noreturn]] void Fail(int rc, std::string_view sql) {
        std::string msg = fmt::format("sqlite: {} (in: {:.120})", sqlite3_errmsg(db_), sql);
        if (IsBusy(rc)) throw RetryableError(msg);
        throw std::runtime_error(msg);
    }

    sqlite3_stmt* Prepare(std::string_view sql, bool& owned) {
        owned = !Cacheable(sql);
        if (!owned) {
            auto it = cache_.find(sql);
            if (it != cache_.end()) return it->second;
        }
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    owned ? 0 : SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) Fail(rc, sql);
        if (!owned) {
            if (cache_.size() >= kMaxCached) Reset();
            cache_.emplace(std::string(sql), stmt);
        }
        return stmt;
    }

    void Run(std::string_view sql, std::span<const Value> params, std::vector<Row>* rows) {
        bool owned = false;
        sqlite3_stmt* stmt = Prepare(sql, owned);
        struct Done {  // reset (or finalize) whatever happens, so no statement holds a read lock
            sqlite3_stmt* s;
            bool owned;
            ~Done() { owned ? sqlite3_finalize(s) : (sqlite3_reset(s), sqlite3_clear_bindings(s)); }
        } done{stmt, owned};
        if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size()))
            throw std::logic_error(fmt::format("sqlite: {} parameters given, {} named (names must be unique): {:.120}",
                                               params.size(), sqlite3_bind_parameter_count(stmt), sql));
        for (std::size_t i = 0; i < params.size(); ++i) {
            int at = static_cast<int>(i) + 1, rc = SQLITE_OK;
            if (auto p = std::get_if<std::int64_t>(&params[i]))
                rc = sqlite3_bind_int64(stmt, at, *p);
            else if (auto d = std::get_if<double>(&params[i]))
                rc = sqlite3_bind_double(stmt, at, *d);
            else if (auto s = std::get_if<std::string>(&params[i]))
                rc = sqlite3_bind_text64(stmt, at, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
            else if (auto b = std::get_if<Blob>(&params[i]))
                rc = sqlite3_bind_blob64(stmt, at, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
            else
                rc = sqlite3_bind_null(stmt, at);
            if (rc != SQLITE_OK) Fail(rc, sql);
        }
        for (;;) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) return;
            if (rc != SQLITE_ROW) Fail(sqlite3_extended_errcode(db_), sql);
            if (!rows) continue;
            int n = sqlite3_column_count(stmt);
            std::vector<Value> cols;
            cols.reserve(n);
            for (int c = 0; c < n; ++c) {
                switch (sqlite3_column_type(stmt, c)) {
                    case SQLITE_INTEGER:
                        cols.emplace_back(std::int64_t{sqlite3_column_int64(stmt, c)});
                        break;
                    case SQLITE_FLOAT:
                        cols.emplace_back(sqlite3_column_double(stmt, c));
                        break;
                    case SQLITE_NULL:
                        cols.emplace_back(kNull);
                        break;
                    default: {  // text and blobs
                        auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
                        cols.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(stmt, c)));
                    }
                }
            }
            rows->emplace_back(std::move(cols));
        }
    }

    sqlite3* db_;
    StatementCache<sqlite3_stmt*> cache_;
};

}  // namespace

void ConfigureSqliteLibrary() {
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });  // SQLITE_MISUSE once initialized
}

std::unique_ptr<Connection> SqliteConnection(void* handle) {
    return std::make_unique<SqliteNative>(static_cast<sqlite3*>(handle));
}

}  // namespace uxf::db::native
