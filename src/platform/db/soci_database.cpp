// The SOCI adapter behind the storage port: SQLite and PostgreSQL connections opened and configured by SOCI, a
// connection pool, and the transaction runner with retries. Statements run on the drivers' handles (native.hpp).
// The only file that names SOCI.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <boost/url/parse.hpp>

#include "native.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::db {
namespace {

struct Target {
    Backend backend;
    const soci::backend_factory* factory;
    std::string connect;
};

// libpq keyword/value form of a postgres:// URL (SOCI does not pass URLs through intact).
std::string PostgresKeywords(const std::string& url, const std::string& schema) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) throw std::invalid_argument("malformed PostgreSQL URL");
    auto quote = [](std::string_view v) {
        std::string out = "'";
        for (char c : v) {
            if (c == '\'' || c == '\\') out += '\\';
            out += c;
        }
        return out + "'";
    };
    std::string out;
    auto add = [&](std::string_view k, std::string_view v) {
        if (v.empty()) return;
        if (!out.empty()) out += ' ';
        out += std::string(k) + "=" + quote(v);
    };
    add("host", parsed->host());
    add("port", parsed->port());
    add("user", parsed->user());
    add("password", parsed->password());
    std::string db = parsed->path();
    add("dbname", db.starts_with("/") ? db.substr(1) : db);
    std::string options;
    for (auto param : parsed->params()) {
        if (param.key == "options")
            options = param.value;
        else
            add(param.key, param.value);
    }
    options += (options.empty() ? "" : " ") + std::string("-c client_min_messages=warning");
    if (!schema.empty()) options += (options.empty() ? "" : " ") + std::string("-c search_path=") + schema;
    add("options", options);
    return out;
}

Target ParseUrl(const DbSettings& s) {
    const std::string& url = s.url;
    if (url.starts_with("sqlite:")) {
        std::string path = url.substr(7);
        if (path.starts_with("//")) path = path.substr(2);
        if (path.empty()) throw std::invalid_argument("sqlite URL without a path");
        return {Backend::kSqlite, &soci::sqlite3,
                fmt::format("db={} timeout={}", path, std::max(1, s.busy_timeout_ms / 1000))};
    }
    if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return {Backend::kPostgres, &soci::postgresql, PostgresKeywords(url, s.postgres_schema)};
    }
    throw std::invalid_argument("database URL must start with sqlite: or postgres://");
}

class SociDatabase final : public Database {
  public:
    explicit SociDatabase(const DbSettings& settings) : settings_(settings), target_(ParseUrl(settings)) {
        std::size_t size = settings.pool_size == 0 ? 1 : settings.pool_size;
        if (target_.backend == Backend::kSqlite && settings.url.find(":memory:") != std::string::npos) size = 1;
        if (target_.backend == Backend::kSqlite) native::ConfigureSqliteLibrary();
        for (std::size_t i = 0; i < size; ++i) {
            auto conn = std::make_unique<Conn>();
            conn->session = std::make_unique<soci::session>(*target_.factory, target_.connect);
            Configure(*conn);
            free_.push_back(conn.get());
            conns_.push_back(std::move(conn));
        }
        if (target_.backend == Backend::kSqlite && settings.url.find(":memory:") == std::string::npos)
            checkpointer_ = std::thread([this] { CheckpointLoop(); });
    }

    ~SociDatabase() override {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        stop_cv_.notify_all();
        if (checkpointer_.joinable()) checkpointer_.join();
    }

    Backend backend() const override { return target_.backend; }

    bool Ping() override {
        try {
            return Read([](Tx& tx) { return tx.QueryOne("SELECT 1").has_value(); });
        } catch (const std::exception& e) {
            spdlog::warn("database ping failed: {}", e.what());
            return false;
        }
    }

  protected:
    void RunTransaction(bool write, const std::function<bool(Tx&)>& body) override {
        WithRetries([&](native::Connection& conn) { RunOnce(conn, write, body); });
    }

    void RunStatement(const std::function<void(Tx&)>& body) override {
        WithRetries([&](native::Connection& conn) { body(conn.Autocommit()); });
    }

  private:
    /// A pooled connection: the SOCI session that owns it and the statement layer on its driver handle.
    struct Conn {
        std::unique_ptr<soci::session> session;
        std::unique_ptr<native::Connection> native;
    };

    struct Lease {
        explicit Lease(SociDatabase& db) : db(db) {
            std::unique_lock lock(db.mu_);
            db.cv_.wait(lock, [&] { return !db.free_.empty(); });
            conn = db.free_.back();
            db.free_.pop_back();
        }
        ~Lease() {
            if (broken) {
                conn->native.reset();  // its handle is gone; the next lease reconnects
                try {
                    db.Reconnect(*conn);
                } catch (const std::exception& e) {
                    spdlog::error("database reconnect failed: {}", e.what());
                }
            }
            std::lock_guard lock(db.mu_);
            db.free_.push_back(conn);
            db.cv_.notify_one();
        }
        SociDatabase& db;
        Conn* conn = nullptr;
        bool broken = false;
    };

    // SQLite: copy the WAL into the database every half second here, instead of in whichever commit crosses
    // the auto-checkpoint threshold (a checkpoint syncs files: tens of ms in a request's path).
    void CheckpointLoop() {
        // Background work: at a lower CPU priority than the threads answering requests, so a checkpoint copying
        // pages waits for them instead of adding its milliseconds to their latency (Linux: per-thread nice).
        if (setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10) != 0)
            spdlog::debug("checkpointer: could not lower its priority");
        std::unique_lock lock(mu_);
        while (!stopping_) {
            stop_cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; });
            if (stopping_ || free_.empty()) continue;  // busy pool: try next time
            Conn* c = free_.back();
            free_.pop_back();
            lock.unlock();
            try {
                *c->session << "PRAGMA wal_checkpoint(PASSIVE)";
            } catch (const std::exception& e) {
                spdlog::warn("wal checkpoint: {}", e.what());
            }
            lock.lock();
            free_.push_back(c);
            cv_.notify_one();
        }
    }

    // Leases a connection and runs `attempt` on it, again after a RetryableError (growing delays with jitter),
    // reconnecting a connection the server dropped.
    void WithRetries(const std::function<void(native::Connection&)>& attempt) {
        Lease lease(*this);
        if (!lease.conn->native) Reconnect(*lease.conn);  // throws while the server stays unreachable
        for (int n = 0;; ++n) {
            try {
                attempt(*lease.conn->native);
                return;
            } catch (const native::ConnectionLost&) {
                lease.broken = true;
                throw;
            } catch (const RetryableError&) {
                if (n >= settings_.max_retries) throw;
                thread_local std::mt19937 jitter(std::random_device{}());  // seeded on a thread's first retry only
                auto base = std::chrono::milliseconds(1 << std::min(n, 6));
                std::uniform_int_distribution<int> spread(0, static_cast<int>(base.count()));
                std::this_thread::sleep_for(base + std::chrono::milliseconds(spread(jitter)));
            }
        }
    }

    void Reconnect(Conn& c) {
        c.native.reset();
        c.session->reconnect();
        Configure(c);
    }

    void Configure(Conn& c) {
        soci::session& s = *c.session;
        if (target_.backend == Backend::kPostgres) {
            auto* be = static_cast<soci::postgresql_session_backend*>(s.get_backend());
            c.native = native::PostgresConnection(be->conn_);
            return;
        }
        {
            auto* be = static_cast<soci::sqlite3_session_backend*>(s.get_backend());
            c.native = native::SqliteConnection(be->conn_);
            s << "PRAGMA journal_mode=WAL";
            s << "PRAGMA synchronous=NORMAL";  // WAL + NORMAL survives a process crash (kill -9)
            s << "PRAGMA foreign_keys=ON";
            s << fmt::format("PRAGMA busy_timeout={}", settings_.busy_timeout_ms);
            // Checkpoints run in CheckpointLoop; this only bounds the WAL if that thread ever falls behind.
            s << "PRAGMA wal_autocheckpoint=20000";
            s << "PRAGMA mmap_size=1073741824";
        }
    }

    static void RunOnce(native::Connection& conn, bool write, const std::function<bool(Tx&)>& body) {
        Tx& tx = conn.Begin(write);
        try {
            bool commit = body(tx);
            if (commit)
                conn.Commit();
            else
                conn.Rollback();
        } catch (...) {
            conn.Rollback();
            throw;
        }
    }

    DbSettings settings_;
    Target target_;
    std::vector<std::unique_ptr<Conn>> conns_;
    std::vector<Conn*> free_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable stop_cv_;  ///< wakes the checkpointer; cv_ is for connection waiters only
    bool stopping_ = false;
    std::thread checkpointer_;
};

}  // namespace

std::unique_ptr<Database> OpenDatabase(const DbSettings& settings) { return std::make_unique<SociDatabase>(settings); }

}  // namespace uxf::db
