// The local embedding provider on the real converted vectors file (UXFLOW_VECTORS_FILE; see ImportWordVectors):
// time to embed one short sentence, English and German (stem lookups), and a batch of 32. Skipped with a message
// when the variable is not set or the file does not open.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "uxf/knowledge/embeddings.hpp"

namespace {

using uxf::knowledge::EmbeddingProvider;

// Opened once for every benchmark; `why` says what is wrong when it is null.
EmbeddingProvider* Provider(std::string& why) {
    static std::string reason;
    static std::unique_ptr<EmbeddingProvider> provider = [] {
        const char* path = std::getenv("UXFLOW_VECTORS_FILE");
        if (!path || !*path) {
            reason = "UXFLOW_VECTORS_FILE is not set (a file converted by ImportWordVectors)";
            return std::unique_ptr<EmbeddingProvider>();
        }
        return uxf::knowledge::OpenLocalEmbeddings(path, reason);
    }();
    why = reason;
    return provider.get();
}

void EmbedOne(benchmark::State& state, const std::string& text, const std::string& language) {
    std::string why;
    EmbeddingProvider* p = Provider(why);
    if (!p) {
        state.SkipWithError(why.c_str());
        return;
    }
    const std::vector<std::string> texts{text}, languages{language};
    for (auto _ : state) benchmark::DoNotOptimize(p->Embed(texts, languages));
}

void BM_EmbedShortSentenceEnglish(benchmark::State& state) {
    EmbedOne(state, "How do I get a refund for my last order?", "en");
}
BENCHMARK(BM_EmbedShortSentenceEnglish)->Unit(benchmark::kMicrosecond);

void BM_EmbedShortSentenceGerman(benchmark::State& state) {
    EmbedOne(state, "Wie bekomme ich eine Erstattung für meine letzte Bestellung?", "de");
}
BENCHMARK(BM_EmbedShortSentenceGerman)->Unit(benchmark::kMicrosecond);

void BM_EmbedBatchOf32(benchmark::State& state) {
    std::string why;
    EmbeddingProvider* p = Provider(why);
    if (!p) {
        state.SkipWithError(why.c_str());
        return;
    }
    const std::vector<std::string> base{
        "Reset your password from the login screen", "Passwort vergessen? Hier zurücksetzen",
        "¿Dónde está mi pedido? Seguimiento del envío", "Modifier l'adresse de livraison avant l'expédition"};
    const std::vector<std::string> langs{"en", "de", "es", "fr"};
    std::vector<std::string> texts, languages;
    for (int i = 0; i < 32; ++i) {
        texts.push_back(base[i % 4]);
        languages.push_back(langs[i % 4]);
    }
    for (auto _ : state) benchmark::DoNotOptimize(p->Embed(texts, languages));
    state.SetItemsProcessed(state.iterations() * 32);
}
BENCHMARK(BM_EmbedBatchOf32)->Unit(benchmark::kMicrosecond);

void BM_OpenVectorsFile(benchmark::State& state) {
    const char* path = std::getenv("UXFLOW_VECTORS_FILE");
    if (!path || !*path) {
        state.SkipWithError("UXFLOW_VECTORS_FILE is not set (a file converted by ImportWordVectors)");
        return;
    }
    std::string why;
    for (auto _ : state) {
        auto p = uxf::knowledge::OpenLocalEmbeddings(path, why);
        if (!p) {
            state.SkipWithError(why.c_str());
            return;
        }
    }
}
BENCHMARK(BM_OpenVectorsFile)->Unit(benchmark::kMillisecond);

}  // namespace
