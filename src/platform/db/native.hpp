// Statements on the drivers' own handles, for the transaction runner in soci_database.cpp: SOCI opens, configures
// and reconnects the connections; queries go straight to SQLite and libpq, each connection keeping its prepared
// statements by SQL text. Through SOCI, every statement was prepared anew (SQLite) or prepared, executed and
// deallocated (PostgreSQL: three round trips instead of one).
#pragma once
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "uxf/platform/database.hpp"

namespace uxf::db::native {

/// Prepared statements by SQL text, found by string_view (no allocation per statement run).
struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StatementCache = std::unordered_map<std::string, V, SqlHash, std::equal_to<>>;

/// One pooled connection's statement layer.
class Connection {
  public:
    virtual ~Connection() = default;
    /// Starts a transaction (write: takes SQLite's write lock up front). Returns the Tx to run statements on.
    virtual Tx& Begin(bool write) = 0;
    /// The Tx for statements outside a transaction (each commits by itself).
    virtual Tx& Autocommit() = 0;
    virtual void Commit() = 0;
    /// Never throws.
    virtual void Rollback() noexcept = 0;
    /// Forgets prepared statements (after the driver reconnected, or a schema change).
    virtual void Reset() = 0;
};

/// The connection broke (PostgreSQL); the pool reconnects it.
class ConnectionLost : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// `handle`: a `sqlite3*`.
std::unique_ptr<Connection> SqliteConnection(void* handle);
/// Process-wide SQLite settings, applied before the library's first use (later calls change nothing): memory
/// statistics off, so SQLite's allocations do not all take one global mutex.
void ConfigureSqliteLibrary();
/// `handle`: a `PGconn*`. Read transactions run without BEGIN/COMMIT: under READ COMMITTED every statement takes
/// its own snapshot anyway, so a read is one round trip per statement.
std::unique_ptr<Connection> PostgresConnection(void* handle);

}  // namespace uxf::db::native
