// Knowledge at scale, in-process (no HTTP), with the local embedding provider: ingestion throughput, the time to
// build a workspace's vector index from the database, and hybrid/vector/keyword search latency.
//
//   UXFLOW_VECTORS_FILE=<converted file> build/release/bench/knowledge_bench [--chunks N] [--db URL] [--queries Q]
//       [--keep]   (--keep: leave the SQLite file for a later run, which then measures search on it again)
//
// The documents are generated: sections of paragraphs whose words are drawn from the vectors file's 50,000 most
// frequent English words with Zipf's law (s = 1), so the index sees a natural spread of rare and common words;
// about 100 chunks of 200-400 words per document. The database (default: a fresh SQLite file in /tmp, as the
// server keeps it) is filled through KnowledgeService::Create and the ingestion job, one worker. Queries: the
// retrieval suite's 65 questions and random 2-6-word ones drawn the same way.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <boost/json.hpp>

#include "embedding/vectors_file.hpp"
#include "knowledge_fixture.hpp"
#include "uxf/knowledge/embeddings.hpp"
#include "uxf/knowledge/knowledge_service.hpp"
#include "uxf/platform/jobs.hpp"

namespace {

using namespace uxf;
using Steady = std::chrono::steady_clock;

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

long RssKb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

// Words by Zipf's law over the vocabulary's first `n` words (frequency order).
class Words {
  public:
    Words(const knowledge::embedding::VectorsFile& file, std::size_t n) {
        for (std::uint32_t r = 0; r < file.rows() && words_.size() < n; ++r) {
            std::string_view w = file.Word(r);
            if (std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) words_.emplace_back(w);
        }
        std::vector<double> weights;
        for (std::size_t i = 0; i < words_.size(); ++i) weights.push_back(1.0 / double(i + 1));
        pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    }
    const std::string& Next(std::mt19937& rng) { return words_[pick_(rng)]; }

  private:
    std::vector<std::string> words_;
    std::discrete_distribution<std::size_t> pick_;
};

std::string Sentence(Words& words, std::mt19937& rng) {
    std::string s;
    int n = std::uniform_int_distribution<int>(6, 20)(rng);
    for (int i = 0; i < n; ++i) {
        std::string w = words.Next(rng);
        if (i == 0) w[0] = static_cast<char>(w[0] - 'a' + 'A');
        s += (i ? " " : "") + w;
    }
    return s + ". ";
}

// A Markdown document of about `chunks` chunks: sections of 3-6 paragraphs of 40-120 words.
std::string Document(Words& words, std::mt19937& rng, std::size_t chunks) {
    std::string doc;
    std::size_t total = chunks * 300, count = 0;
    while (count < total) {
        doc += "## " + Sentence(words, rng) + "\n\n";
        int paragraphs = std::uniform_int_distribution<int>(3, 6)(rng);
        for (int p = 0; p < paragraphs; ++p) {
            int target = std::uniform_int_distribution<int>(40, 120)(rng);
            std::string para;
            while (target > 0) {
                std::string s = Sentence(words, rng);
                target -= static_cast<int>(std::count(s.begin(), s.end(), ' '));
                para += s;
            }
            count += static_cast<std::size_t>(std::count(para.begin(), para.end(), ' '));
            doc += para + "\n\n";
        }
    }
    return doc;
}

struct Latency {
    std::vector<double> ms;
    std::string Show() {
        std::sort(ms.begin(), ms.end());
        auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
        char buf[96];
        std::snprintf(buf, sizeof buf, "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu queries)", at(0.5), at(0.99),
                      ms.back(), ms.size());
        return buf;
    }
};

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when the output goes to a file
    std::size_t chunks = 100'000, queries = 300;
    std::string url;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        bool value = i + 1 < argc;
        if (a == "--keep") keep = true;
        if (a == "--chunks" && value) chunks = std::stoul(argv[++i]);
        if (a == "--db" && value) url = argv[++i];
        if (a == "--queries" && value) queries = std::stoul(argv[++i]);
    }
    const char* vectors_path = std::getenv("UXFLOW_VECTORS_FILE");
    std::string why;
    std::shared_ptr<knowledge::EmbeddingProvider> provider;
    std::unique_ptr<knowledge::embedding::VectorsFile> file;
    if (vectors_path) {
        provider = knowledge::OpenLocalEmbeddings(vectors_path, why);
        file = knowledge::embedding::VectorsFile::Open(vectors_path, why);
    }
    if (!provider || !file) {
        std::fprintf(stderr, "knowledge_bench needs UXFLOW_VECTORS_FILE: %s\n", why.c_str());
        return 1;
    }
    std::filesystem::path tmp;
    if (url.empty()) {
        tmp = std::filesystem::temp_directory_path() / ("uxf-knowledge-bench-" + std::to_string(chunks));
        if (!keep) tmp += "-" + std::to_string(getpid());
        std::filesystem::create_directories(tmp);
        url = "sqlite://" + (tmp / "bench.db").string();
    }
    auto db = db::OpenDatabase({.url = url});
    bench::KnowledgeFixture fx(*db);
    auto& clock = fx.clock;
    auto& bus = fx.bus;
    auto& auth = fx.auth;
    auto& workspaces = fx.workspaces;
    // A database kept by an earlier run (--keep) has its bench account: its documents are searched again.
    auto kept = db->Read([](db::Tx& tx) {
        return tx.QueryOne(
            "SELECT d.created_by, d.workspace_id, COUNT(*) FROM knowledge_documents d GROUP BY d.created_by, "
            "d.workspace_id");
    });
    RequestMeta meta{"req_bench", "127.0.0.1", "bench", ""};
    std::string ws;
    if (kept) {
        meta.user_id = kept->Str(0);
        ws = kept->Str(1);
    } else {
        std::string email = "bench" + std::to_string(getpid()) + "@example.com";
        auto owner = auth.Register({email, "correct horse battery", "Bench"}, {});
        meta.user_id = owner->user.id;
        ws = owner->workspace->id;
    }
    jobs::JobSettings js;
    knowledge::KnowledgeSettings ks;
    ks.max_documents_per_workspace = 100'000;

    // Ingestion.
    std::mt19937 rng(42);
    Words words(*file, 50'000);
    std::size_t per_doc = std::min<std::size_t>(chunks, 100), bytes = 0, stored = 0;
    if (kept) {
        stored = static_cast<std::size_t>(db->Read([&](db::Tx& tx) {
            return tx.QueryOne("SELECT COUNT(*) FROM knowledge_chunks WHERE workspace_id = :w", {ws})->Int(0);
        }));
        std::printf("ingestion: skipped, %zu chunks kept from an earlier run\n", stored);
    } else {
        knowledge::KnowledgeService svc(*db, bus, clock, workspaces, js, ks);
        svc.SetEmbeddings(provider);
        jobs::Runner runner(*db, bus, clock, js);
        svc.RegisterJobs(runner);
        Steady::duration busy{};
        std::size_t docs = 0;
        while (stored < chunks) {
            std::string text = Document(words, rng, std::min(per_doc, chunks - stored));
            auto t0 = Steady::now();
            auto d = svc.Create(ws, {"Document " + std::to_string(docs++), "text/markdown", text}, meta);
            if (!d.ok()) {
                std::fprintf(stderr, "create: %s\n", d.error().message.c_str());
                return 1;
            }
            while (runner.RunOne()) {
            }
            busy += Steady::now() - t0;
            bytes += text.size();
            stored += static_cast<std::size_t>(svc.Get(ws, d->id, meta)->chunk_count);
        }
        std::printf("ingestion: %zu documents, %zu chunks, %.1f MB of text in %.1f s: %.2f MB/s (one worker)\n", docs,
                    stored, double(bytes) / 1e6, Ms(busy) / 1000, double(bytes) / 1e6 / (Ms(busy) / 1000));
    }

    // A fresh service, as after a restart: the first search by meaning builds the index from the database.
    std::vector<std::string> qs;
    std::ifstream suite_file("src/modules/knowledge/testdata/retrieval_suite.json");
    std::stringstream suite_text;
    suite_text << suite_file.rdbuf();
    if (!suite_text.str().empty()) {
        auto suite = boost::json::parse(suite_text.str());
        for (const auto& item : suite.as_array()) qs.emplace_back(item.as_object().at("query").as_string());
    }
    while (qs.size() < queries) {
        std::string q;
        int n = std::uniform_int_distribution<int>(2, 6)(rng);
        for (int i = 0; i < n; ++i) q += (i ? " " : "") + words.Next(rng);
        qs.push_back(q);
    }
    knowledge::KnowledgeService svc(*db, bus, clock, workspaces, js, ks);
    svc.SetEmbeddings(provider);
    auto measure = [&](const char* when) {
        for (auto [name, mode] :
             {std::pair{"hybrid", knowledge::SearchMode::kHybrid}, std::pair{"vector", knowledge::SearchMode::kVector},
              std::pair{"keyword", knowledge::SearchMode::kKeyword}}) {
            Latency lat;
            for (std::size_t round = 0; round < 2; ++round)  // the second round is measured (caches warm)
                for (const auto& q : qs) {
                    auto s = Steady::now();
                    auto hits = svc.Search(ws, {q, 10, mode, ""}, meta);
                    if (round == 1) lat.ms.push_back(Ms(Steady::now() - s));
                    if (!hits.ok()) std::fprintf(stderr, "search: %s\n", hits.error().message.c_str());
                }
            std::printf("search %s, k=10, %zu chunks, %s: %s\n", name, stored, when, lat.Show().c_str());
        }
    };
    long rss0 = RssKb();
    auto t0 = Steady::now();
    auto first = svc.Search(ws, {"index build", 10, knowledge::SearchMode::kVector, ""}, meta);
    double load = Ms(Steady::now() - t0);
    if (!first.ok()) {
        std::fprintf(stderr, "search: %s\n", first.error().message.c_str());
        return 1;
    }
    std::printf("index: vectors loaded from the database at the first search in %.0f ms\n", load);
    t0 = Steady::now();
    svc.WaitForVectorIndexes();
    std::printf(
        "index: graph built on its own threads in %.0f ms; resident memory +%.1f MB (with the database "
        "pages read)\n",
        Ms(Steady::now() - t0), double(RssKb() - rss0) / 1024);
    measure(stored < 4096 ? "exact scan" : "graph");
    if (!tmp.empty() && !keep) std::filesystem::remove_all(tmp);
    return 0;
}
