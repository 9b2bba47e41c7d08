// Retrieval quality of knowledge search on the suite in src/modules/knowledge/testdata: 14 team documents and
// query/target pairs written without the target's words, some across languages. Prints recall@1 and recall@5 per
// search mode, overall and for the cross-language pairs. Pattern targets are searched with the patterns' hybrid search.
// Word vectors come from UXFLOW_VECTORS_FILE (uxflow admin import-vectors); without it only the keyword mode is
// measured.
//   build/release/bench/retrieval_eval [testdata dir] [--verbose]   (--verbose: the rank of every pair per mode)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/json.hpp>

#include "knowledge_fixture.hpp"
#include "uxf/knowledge/embeddings.hpp"
#include "uxf/knowledge/knowledge_service.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/testing/test_database.hpp"

namespace {

using namespace uxf;

std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Tally {
    int n = 0, at1 = 0, at5 = 0;
    void Add(int rank) {
        ++n;
        at1 += rank == 1;
        at5 += rank >= 1 && rank <= 5;
    }
    std::string Show() const {
        if (n == 0) return "-";
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2f / %.2f (%d)", double(at1) / n, double(at5) / n, n);
        return buf;
    }
};

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = "src/modules/knowledge/testdata";
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--verbose")
            verbose = true;
        else
            dir = argv[i];
    }
    auto suite = boost::json::parse(Read(dir / "retrieval_suite.json")).as_array();
    if (suite.empty()) {
        std::fprintf(stderr, "no suite in %s\n", dir.c_str());
        return 1;
    }
    testing::TestDatabase tdb;
    bench::KnowledgeFixture fx(tdb.db());
    auto& clock = fx.clock;
    auto& bus = fx.bus;
    auto& auth = fx.auth;
    auto& workspaces = fx.workspaces;
    auto owner = auth.Register({"eval@example.com", "correct horse battery", "Eval"}, {});
    RequestMeta meta{"req_eval", "127.0.0.1", "eval", owner->user.id};
    std::string ws = owner->workspace->id;
    jobs::JobSettings js;
    knowledge::KnowledgeService svc(tdb.db(), bus, clock, workspaces, js, knowledge::KnowledgeSettings{});
    const char* file = std::getenv("UXFLOW_VECTORS_FILE");
    std::string why;
    std::shared_ptr<knowledge::EmbeddingProvider> vectors;
    if (file) vectors = knowledge::OpenLocalEmbeddings(file, why);
    if (vectors)
        svc.SetEmbeddings(vectors);
    else
        std::printf("no word vectors (%s): keyword mode only\n", file ? why.c_str() : "UXFLOW_VECTORS_FILE not set");
    jobs::Runner runner(tdb.db(), bus, clock, js);
    svc.RegisterJobs(runner);
    for (const auto& entry : std::filesystem::directory_iterator(dir / "documents")) {
        auto d = svc.Create(ws, {entry.path().stem().string(), "text/markdown", Read(entry.path())}, meta);
        if (!d.ok()) std::fprintf(stderr, "%s: %s\n", entry.path().c_str(), d.error().message.c_str());
    }
    while (runner.RunOne()) {
    }
    svc.IndexPatterns();

    const std::vector<std::pair<const char*, knowledge::SearchMode>> modes = {
        {"keyword", knowledge::SearchMode::kKeyword},
        {"vector", knowledge::SearchMode::kVector},
        {"hybrid", knowledge::SearchMode::kHybrid}};
    std::map<std::string, Tally> docs_all, docs_cross;
    Tally patterns_all, patterns_cross;
    for (const auto& item : suite) {
        const auto& o = item.as_object();
        std::string q(o.at("query").as_string()), language(o.at("language").as_string());
        const auto& expected = o.at("expected").as_object();
        std::string kind(expected.at("kind").as_string()), id(expected.at("id").as_string());
        bool cross = o.contains("note");
        if (kind == "pattern") {
            auto hits = svc.SearchPatterns(q, 5, language);
            int rank = 0;
            for (std::size_t i = 0; hits.ok() && i < hits->size(); ++i)
                if ((*hits)[i].id == id) rank = static_cast<int>(i) + 1;
            if (verbose) std::printf("pattern %d  %s -> %s\n", rank, q.c_str(), id.c_str());
            patterns_all.Add(rank);
            if (cross) patterns_cross.Add(rank);
            continue;
        }
        if (verbose) std::printf("%s ", cross ? "cross" : "same ");
        for (const auto& mode : modes) {
            if (mode.second != knowledge::SearchMode::kKeyword && !vectors) continue;
            auto hits = svc.Search(ws, {q, 20, mode.second, ""}, meta);
            std::vector<std::string> order;  // documents in the order of their best chunk
            for (std::size_t i = 0; hits.ok() && i < hits->size(); ++i)
                if (std::find(order.begin(), order.end(), (*hits)[i].title) == order.end())
                    order.push_back((*hits)[i].title);
            auto it = std::find(order.begin(), order.end(), id);
            int rank = it == order.end() ? 0 : static_cast<int>(it - order.begin()) + 1;
            if (verbose) std::printf(" %s %d", mode.first, rank);
            docs_all[mode.first].Add(rank);
            if (cross) docs_cross[mode.first].Add(rank);
        }
        if (verbose) std::printf("  %s -> %s\n", q.c_str(), id.c_str());
    }
    std::printf("| target, mode | recall@1 / recall@5 (pairs), all | across languages |\n|---|---|---|\n");
    for (const auto& mode : modes)
        std::printf("| documents, %s | %s | %s |\n", mode.first, docs_all[mode.first].Show().c_str(),
                    docs_cross[mode.first].Show().c_str());
    std::printf("| patterns, %s | %s | %s |\n", vectors ? "hybrid" : "keyword", patterns_all.Show().c_str(),
                patterns_cross.Show().c_str());
    return 0;
}
