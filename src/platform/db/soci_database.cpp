// The SOCI adapter behind the storage port: SQLite and PostgreSQL, a connection pool, and the transaction
// runner with retries. The only file that names SOCI.
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

#include "uxf/platform/database.hpp"

namespace uxf::db {
namespace {

constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;

bool IsTransient(const soci::soci_error& e) {
    if (auto p = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
        int rc = p->result() & 0xFF;
        return rc == kSqliteBusy || rc == kSqliteLocked;
    }
    if (auto p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
        std::string state = p->sqlstate();
        return state == "40001" || state == "40P01";
    }
    return false;
}

Value FromRow(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null) return kNull;
    switch (r.get_properties(i).get_data_type()) {
        case soci::dt_integer:
            return std::int64_t{r.get<int>(i)};
        case soci::dt_long_long:
            return std::int64_t{r.get<long long>(i)};
        case soci::dt_unsigned_long_long:
            return static_cast<std::int64_t>(r.get<unsigned long long>(i));
        case soci::dt_double:
            return r.get<double>(i);
        case soci::dt_string:
            return r.get<std::string>(i);
        default:
            throw std::runtime_error(fmt::format("unsupported column type in column {}", i));
    }
}

// Parameter storage that outlives the statement; SOCI binds by reference.
class Binder {
  public:
    explicit Binder(std::span<const Value> params)
        : ints_(params.size()), doubles_(params.size()), strings_(params.size()), inds_(params.size(), soci::i_ok) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Value& v = params[i];
            kinds_.push_back(v.index());
            if (auto p = std::get_if<std::int64_t>(&v)) ints_[i] = *p;
            if (auto p = std::get_if<double>(&v)) doubles_[i] = *p;
            if (auto p = std::get_if<std::string>(&v)) strings_[i] = *p;
            if (v.index() == 0) inds_[i] = soci::i_null;
        }
    }
    void BindTo(soci::details::prepare_temp_type& prep) {
        for (std::size_t i = 0; i < kinds_.size(); ++i) {
            switch (kinds_[i]) {
                case 1:
                    prep, soci::use(ints_[i], inds_[i]);
                    break;
                case 2:
                    prep, soci::use(doubles_[i], inds_[i]);
                    break;
                default:
                    prep, soci::use(strings_[i], inds_[i]);
                    break;
            }
        }
    }

  private:
    std::vector<std::size_t> kinds_;
    std::vector<long long> ints_;
    std::vector<double> doubles_;
    std::vector<std::string> strings_;
    std::vector<soci::indicator> inds_;
};

class SociTx final : public Tx {
  public:
    explicit SociTx(soci::session& s) : s_(s) {}

    std::vector<Row> Query(std::string_view sql, std::span<const Value> params) override {
        Binder binder(params);
        soci::details::prepare_temp_type prep = (s_.prepare << std::string(sql));
        binder.BindTo(prep);
        soci::rowset<soci::row> rows(prep);
        std::vector<Row> out;
        for (const soci::row& r : rows) {
            std::vector<Value> cols;
            cols.reserve(r.size());
            for (std::size_t i = 0; i < r.size(); ++i) cols.push_back(FromRow(r, i));
            out.emplace_back(std::move(cols));
        }
        return out;
    }

    std::int64_t Exec(std::string_view sql, std::span<const Value> params) override {
        Binder binder(params);
        soci::details::prepare_temp_type prep = (s_.prepare << std::string(sql));
        binder.BindTo(prep);
        soci::statement st(prep);
        st.execute(true);
        return st.get_affected_rows();
    }

  private:
    soci::session& s_;
};

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
        for (std::size_t i = 0; i < size; ++i) {
            auto session = std::make_unique<soci::session>(*target_.factory, target_.connect);
            Configure(*session);
            free_.push_back(session.get());
            sessions_.push_back(std::move(session));
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
        Lease lease(*this);
        for (int attempt = 0;; ++attempt) {
            try {
                RunOnce(*lease.session, write, body);
                return;
            } catch (const soci::soci_error& e) {
                if (!IsTransient(e) || attempt >= settings_.max_retries) {
                    if (dynamic_cast<const soci::postgresql_soci_error*>(&e) &&
                        e.get_error_category() == soci::soci_error::connection_error)
                        lease.broken = true;
                    throw;
                }
                thread_local std::mt19937 jitter(std::random_device{}());  // seeded on a thread's first retry only
                auto base = std::chrono::milliseconds(1 << std::min(attempt, 6));
                std::uniform_int_distribution<int> spread(0, static_cast<int>(base.count()));
                std::this_thread::sleep_for(base + std::chrono::milliseconds(spread(jitter)));
            }
        }
    }

  private:
    struct Lease {
        explicit Lease(SociDatabase& db) : db(db) {
            std::unique_lock lock(db.mu_);
            db.cv_.wait(lock, [&] { return !db.free_.empty(); });
            session = db.free_.back();
            db.free_.pop_back();
        }
        ~Lease() {
            if (broken) {
                try {
                    session->reconnect();
                    db.Configure(*session);
                } catch (const std::exception& e) {
                    spdlog::error("database reconnect failed: {}", e.what());
                }
            }
            std::lock_guard lock(db.mu_);
            db.free_.push_back(session);
            db.cv_.notify_one();
        }
        SociDatabase& db;
        soci::session* session = nullptr;
        bool broken = false;
    };

    // SQLite: copy the WAL into the database every half second here, instead of in whichever commit crosses
    // the auto-checkpoint threshold (a checkpoint syncs files: tens of ms in a request's path).
    void CheckpointLoop() {
        std::unique_lock lock(mu_);
        while (!stopping_) {
            stop_cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; });
            if (stopping_ || free_.empty()) continue;  // busy pool: try next time
            soci::session* s = free_.back();
            free_.pop_back();
            lock.unlock();
            try {
                *s << "PRAGMA wal_checkpoint(PASSIVE)";
            } catch (const std::exception& e) {
                spdlog::warn("wal checkpoint: {}", e.what());
            }
            lock.lock();
            free_.push_back(s);
            cv_.notify_one();
        }
    }

    void Configure(soci::session& s) {
        if (target_.backend == Backend::kSqlite) {
            s << "PRAGMA journal_mode=WAL";
            s << "PRAGMA synchronous=NORMAL";  // WAL + NORMAL survives a process crash (kill -9)
            s << "PRAGMA foreign_keys=ON";
            s << fmt::format("PRAGMA busy_timeout={}", settings_.busy_timeout_ms);
            // Checkpoints run in CheckpointLoop; this only bounds the WAL if that thread ever falls behind.
            s << "PRAGMA wal_autocheckpoint=20000";
        }
    }

    void RunOnce(soci::session& s, bool write, const std::function<bool(Tx&)>& body) {
        // SQLite: take the write lock up front so two writers never deadlock upgrading a read lock.
        s << (write && target_.backend == Backend::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
        try {
            SociTx tx(s);
            bool commit = body(tx);
            s << (commit ? "COMMIT" : "ROLLBACK");
        } catch (...) {
            try {
                s << "ROLLBACK";
            } catch (...) {
            }
            throw;
        }
    }

    DbSettings settings_;
    Target target_;
    std::vector<std::unique_ptr<soci::session>> sessions_;
    std::vector<soci::session*> free_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable stop_cv_;  ///< wakes the checkpointer; cv_ is for connection waiters only
    bool stopping_ = false;
    std::thread checkpointer_;
};

}  // namespace

std::unique_ptr<Database> OpenDatabase(const DbSettings& settings) { return std::make_unique<SociDatabase>(settings); }

}  // namespace uxf::db
