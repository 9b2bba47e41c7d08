// PostgreSQL statements on libpq with a per-connection cache of named prepared statements: after the first use a
// statement is one round trip (Bind/Execute of the prepared plan). Parameters and results travel as text.
#include <libpq-fe.h>

#include <charconv>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "native.hpp"

namespace uxf::db::native {
namespace {

constexpr std::size_t kMaxCached = 512;
// Type OIDs (catalog/pg_type.h).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

struct PgResult {
    PGresult* r;
    ~PgResult() { PQclear(r); }
};

// `:name` placeholders (in order of appearance) to `$1, $2, ...`; quotes, identifiers and `::` casts kept.
std::pair<std::string, int> Numbered(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 8);
    int n = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (quote) {
            out += c;
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out += c;
            continue;
        }
        if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
            out += "::";
            ++i;
            continue;
        }
        auto ident = [](char x) {
            return (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || x == '_' || (x >= '0' && x <= '9');
        };
        if (c == ':' && i + 1 < sql.size() && ident(sql[i + 1])) {
            while (i + 1 < sql.size() && ident(sql[i + 1])) ++i;
            out += fmt::format("${}", ++n);
            continue;
        }
        out += c;
    }
    return {std::move(out), n};
}

class PostgresNative final : public Connection, public Tx {
  public:
    explicit PostgresNative(PGconn* conn) : conn_(conn) {}

    Tx& Begin(bool write) override {
        in_tx_ = write;
        if (write) Simple("BEGIN");
        return *this;
    }
    Tx& Autocommit() override {
        in_tx_ = false;
        return *this;
    }
    void Commit() override {
        if (!in_tx_) return;
        in_tx_ = false;  // a failed COMMIT ends the transaction too (e.g. a serialization failure found at commit)
        Simple("COMMIT");
    }
    void Rollback() noexcept override {
        if (!in_tx_) return;
        in_tx_ = false;
        if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
    }
    void Reset() override {
        names_.clear();
        in_tx_ = false;
    }

    std::vector<Row> Query(std::string_view sql, std::span<const Value> params) override {
        PgResult res{Execute(sql, params)};
        std::vector<Row> rows;
        int n = PQntuples(res.r), cols = PQnfields(res.r);
        rows.reserve(n);
        for (int i = 0; i < n; ++i) {
            std::vector<Value> row;
            row.reserve(cols);
            for (int c = 0; c < cols; ++c) row.push_back(Cell(res.r, i, c));
            rows.emplace_back(std::move(row));
        }
        return rows;
    }
    std::int64_t Exec(std::string_view sql, std::span<const Value> params) override {
        PgResult res{Execute(sql, params)};
        std::string_view count = PQcmdTuples(res.r);
        std::int64_t out = 0;
        std::from_chars(count.data(), count.data() + count.size(), out);
        return out;
    }

  private:
    static Value Cell(const PGresult* r, int row, int col) {
        if (PQgetisnull(r, row, col)) return kNull;
        const char* v = PQgetvalue(r, row, col);
        int len = PQgetlength(r, row, col);
        switch (PQftype(r, col)) {
            case kInt8:
            case kInt4:
            case kInt2: {
                std::int64_t x = 0;
                std::from_chars(v, v + len, x);
                return x;
            }
            case kBool:
                return std::int64_t{v[0] == 't'};
            case kFloat4:
            case kFloat8:
            case kNumeric: {
                double x = 0;
                std::from_chars(v, v + len, x);
                return x;
            }
            case kBytea:
                return Unhex(std::string_view(v, len));
            default:
                return std::string(v, len);
        }
    }

    // A BYTEA column in text format: "\\x" and two hex digits per byte (PostgreSQL's default bytea_output).
    static std::string Unhex(std::string_view text) {
        if (!text.starts_with("\\x")) throw std::runtime_error("postgres: bytea not in hex format");
        text.remove_prefix(2);
        auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
        std::string out(text.size() / 2, '\0');
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = static_cast<char>(digit(text[2 * i]) << 4 | digit(text[2 * i + 1]));
        return out;
    }

    [[noreturn]] void Fail(const PGresult* r, std::string_view sql) {
        std::string msg =
            fmt::format("postgres: {} (in: {:.120})", r ? PQresultErrorMessage(r) : PQerrorMessage(conn_), sql);
        if (PQstatus(conn_) != CONNECTION_OK) {
            Reset();
            throw ConnectionLost(msg);
        }
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        if (state && (std::string_view(state) == "40001" || std::string_view(state) == "40P01"))
            throw RetryableError(msg);
        throw std::runtime_error(msg);
    }

    void Simple(const char* sql) {
        PgResult res{PQexec(conn_, sql)};
        if (PQresultStatus(res.r) != PGRES_COMMAND_OK) Fail(res.r, sql);
    }

    // Prepares (once per connection) and runs a statement; throws on failure.
    PGresult* Execute(std::string_view sql, std::span<const Value> params) {
        auto it = names_.find(sql);
        if (it == names_.end()) {
            auto [text, count] = Numbered(sql);
            if (count != static_cast<int>(params.size()))
                throw std::logic_error(
                    fmt::format("postgres: {} parameters given, {} named: {:.120}", params.size(), count, sql));
            if (names_.size() >= kMaxCached) {
                PQclear(PQexec(conn_, "DEALLOCATE ALL"));
                names_.clear();
            }
            std::string name = fmt::format("uxf{}", ++counter_);
            PgResult prep{PQprepare(conn_, name.c_str(), text.c_str(), count, nullptr)};
            if (PQresultStatus(prep.r) != PGRES_COMMAND_OK) Fail(prep.r, sql);
            it = names_.emplace(std::string(sql), std::move(name)).first;
        }
        std::vector<std::string> text(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);  // format 1: binary (BYTEA)
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (auto p = std::get_if<std::int64_t>(&params[i])) {
                text[i] = std::to_string(*p);
            } else if (auto d = std::get_if<double>(&params[i])) {
                char buf[32];
                auto end = std::to_chars(buf, buf + sizeof buf, *d).ptr;
                text[i].assign(buf, end);
            } else if (auto s = std::get_if<std::string>(&params[i])) {
                values[i] = s->c_str();
                continue;
            } else if (auto b = std::get_if<Blob>(&params[i])) {
                values[i] = b->bytes.data();
                lengths[i] = static_cast<int>(b->bytes.size());
                formats[i] = 1;
                continue;
            } else {
                continue;  // NULL
            }
            values[i] = text[i].c_str();
        }
        PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), values.data(),
                                     lengths.data(), formats.data(), 0);
        auto status = PQresultStatus(r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            PgResult guard{r};
            Fail(r, sql);
        }
        return r;
    }

    PGconn* conn_;
    bool in_tx_ = false;
    std::uint64_t counter_ = 0;
    StatementCache<std::string> names_;
};

}  // namespace

std::unique_ptr<Connection> PostgresConnection(void* handle) {
    return std::make_unique<PostgresNative>(static_cast<PGconn*>(handle));
}

}  // namespace uxf::db::native
