#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "uxf/core/embedded.hpp"
#include "uxf/core/settings.hpp"

namespace uxf::db {

/// Binary data as a parameter (SQLite BLOB, PostgreSQL BYTEA); read back with Row::Str.
struct Blob {
    std::string bytes;
};

/// A SQL parameter or column value. Integers are 64-bit; booleans are stored as 0/1; times as microseconds.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;
inline const Value kNull{};

/// One result row. Accessors convert leniently between integer and text, since SQLite and PostgreSQL
/// report types differently for the same declared column.
class Row {
  public:
    explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
    std::size_t size() const { return cols_.size(); }
    bool IsNull(std::size_t i) const { return std::holds_alternative<std::monostate>(cols_.at(i)); }
    std::int64_t Int(std::size_t i) const;
    std::string Str(std::size_t i) const;
    std::optional<std::int64_t> OptInt(std::size_t i) const;
    std::optional<std::string> OptStr(std::size_t i) const;

  private:
    std::vector<Value> cols_;
};

/// Which SQL server is behind the port; only the adapter and migrations should need to ask.
enum class Backend { kSqlite, kPostgres };

/// A transaction. SQL uses `:name` placeholders (SOCI syntax), bound in order of appearance, and the subset
/// of SQL that SQLite 3.40 and PostgreSQL 15 share (INSERT ... ON CONFLICT, RETURNING, BIGINT, TEXT).
class Tx {
  public:
    virtual ~Tx() = default;
    virtual std::vector<Row> Query(std::string_view sql, std::span<const Value> params = {}) = 0;
    /// Runs a statement and returns the number of rows it changed.
    virtual std::int64_t Exec(std::string_view sql, std::span<const Value> params = {}) = 0;

    std::vector<Row> Query(std::string_view sql, std::initializer_list<Value> params) {
        return Query(sql, std::span<const Value>(params.begin(), params.size()));
    }
    std::int64_t Exec(std::string_view sql, std::initializer_list<Value> params) {
        return Exec(sql, std::span<const Value>(params.begin(), params.size()));
    }
    std::optional<Row> QueryOne(std::string_view sql, std::initializer_list<Value> params = {}) {
        auto rows = Query(sql, params);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }
};

/// Thrown by adapters for a transient failure (SQLite busy, PostgreSQL serialization failure or deadlock):
/// the transaction runner retries the whole unit of work.
class RetryableError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Database settings.
struct DbSettings {
    /// `sqlite:///path/file.db`, `sqlite::memory:`, or `postgres://user:pass@host:port/db?options`.
    std::string url = "sqlite://./var/uxflow.db";
    std::size_t pool_size = 8;    ///< connections (1 for an in-memory SQLite database)
    int busy_timeout_ms = 5000;   ///< SQLite: how long a writer waits for the lock
    int max_retries = 8;          ///< transient failures retried before giving up
    std::string postgres_schema;  ///< PostgreSQL: search_path for every connection (tests use one each)
};

/// The UXFLOW_* variables of DbSettings (the defaults are the struct's, except the URL's and the pool's, which `app/`
/// derives). `postgres_schema` has none: tests use it; a deployment puts `options=-csearch_path=...` in the URL.
std::span<const settings::Entry<DbSettings>> DbSettingsTable();

/// The storage port. Services run units of work through Write (read-write, retried on transient failures)
/// or Read. The unit of work must be idempotent up to its own effects, since it may run more than once.
class Database {
  public:
    virtual ~Database() = default;
    virtual Backend backend() const = 0;
    /// True when a trivial query succeeds (readiness probe).
    virtual bool Ping() = 0;

    /// Runs `fn(tx)` in a write transaction and returns its result. A result that has `ok()` false rolls the
    /// transaction back, so a refused request changes nothing.
    template <class F>
    auto Write(F&& fn) -> std::invoke_result_t<F, Tx&> {
        return Run<F>(true, std::forward<F>(fn));
    }
    template <class F>
    auto Read(F&& fn) -> std::invoke_result_t<F, Tx&> {
        return Run<F>(false, std::forward<F>(fn));
    }
    /// A read that is ONE statement, run without BEGIN/COMMIT (autocommit): the cheapest read on both databases
    /// (SQLite skips two statements, PostgreSQL two round trips). `fn(tx)` must run exactly one statement.
    template <class F>
    auto ReadOne(F&& fn) -> std::invoke_result_t<F, Tx&> {
        std::optional<std::invoke_result_t<F, Tx&>> out;
        RunStatement([&](Tx& tx) { out.emplace(fn(tx)); });
        return std::move(*out);
    }

  protected:
    /// Runs `body` in a transaction, committing when it returns true; retries on RetryableError.
    virtual void RunTransaction(bool write, const std::function<bool(Tx&)>& body) = 0;
    /// Runs `body` (one statement) outside a transaction; retries on RetryableError.
    virtual void RunStatement(const std::function<void(Tx&)>& body) = 0;

  private:
    template <class F>
    auto Run(bool write, F&& fn) -> std::invoke_result_t<F, Tx&> {
        using R = std::invoke_result_t<F, Tx&>;
        if constexpr (std::is_void_v<R>) {
            RunTransaction(write, [&](Tx& tx) {
                fn(tx);
                return true;
            });
        } else {
            std::optional<R> out;
            RunTransaction(write, [&](Tx& tx) {
                out.reset();
                out.emplace(fn(tx));
                if constexpr (requires { out->ok(); }) {
                    return static_cast<bool>(out->ok());
                } else {
                    return true;
                }
            });
            return std::move(*out);
        }
    }
};

/// Opens the database the URL names (SQLite in WAL mode with foreign keys on, or PostgreSQL).
std::unique_ptr<Database> OpenDatabase(const DbSettings& settings);

/// One schema migration of one module. `sql` may hold several statements separated by `;` at line ends.
struct Migration {
    std::string module;
    int version = 0;
    std::string name;
    std::string_view sql;
};

/// Builds a module's migrations from embedded files named `NNNN_name.sql` (ordered by NNNN). A file may hold
/// `-- sqlite:` / `-- postgres:` sections for the statements where the dialects differ.
std::vector<Migration> MigrationsFromFiles(std::string_view module, std::span<const EmbeddedFile> files);

/// The platform's own tables: idempotency keys, jobs.
std::vector<Migration> PlatformMigrations();

/// Applies every migration not yet recorded in `schema_migrations`, each in its own transaction.
/// Returns how many were applied. Safe to run from several processes at once on PostgreSQL.
int Migrate(Database& db, std::span<const Migration> migrations);

}  // namespace uxf::db
