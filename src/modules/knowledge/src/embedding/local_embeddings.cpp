#include "local_embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sif.hpp"
#include "text/words.hpp"

namespace uxf::knowledge {
namespace embedding {

std::size_t LocalEmbeddings::Accumulate(std::string_view text, std::string_view language, std::span<float> acc) const {
    if (acc.size() != file_->dims()) throw std::invalid_argument("Accumulate: wrong vector size");
    const bool translated = (language == "de" || language == "es" || language == "fr") && file_->HasLanguage(language);
    std::size_t known = 0;
    for (const auto& word : Words(text)) {
        if (translated) {
            auto rows = file_->Translations(language, Stem(word, language));
            if (!rows.empty()) {
                for (const auto& rc : rows) file_->AddWeighted(rc.row, rc.coef, acc.data());
                ++known;
                continue;
            }
        }
        if (auto row = file_->Find(word)) {
            file_->AddWeighted(*row, 1, acc.data());
            ++known;
            continue;
        }
        if (translated && language == "de" && Compound(word, acc)) ++known;
    }
    return known;
}

bool LocalEmbeddings::Compound(std::string_view word, std::span<float> acc) const {
    constexpr std::size_t kMinPart = 3;
    constexpr std::size_t kMaxWord = 48;  // longer "words" are codes and garbage: not worth a stem per split
    std::span<const RowCoef> best_head, best_tail;
    std::size_t best = 0;
    if (word.size() < 2 * kMinPart || word.size() > kMaxWord) return false;
    for (std::size_t i = kMinPart; i + kMinPart <= word.size(); ++i) {       // longest tail first
        if ((static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) continue;  // inside a UTF-8 sequence
        const std::size_t shorter = std::min(i, word.size() - i);
        if (shorter <= best) continue;
        auto tail = file_->Translations("de", Stem(word.substr(i), "de"));
        if (tail.empty()) continue;
        std::string_view head = word.substr(0, i);
        auto head_rows = file_->Translations("de", Stem(head, "de"));
        if (head_rows.empty() && head.size() > kMinPart && head.back() == 's')
            head_rows = file_->Translations("de", Stem(head.substr(0, head.size() - 1), "de"));
        if (head_rows.empty()) continue;
        best = shorter;
        best_head = head_rows;
        best_tail = tail;
    }
    if (best == 0) return false;
    for (const auto& rc : best_head) file_->AddWeighted(rc.row, rc.coef, acc.data());
    for (const auto& rc : best_tail) file_->AddWeighted(rc.row, rc.coef, acc.data());
    return true;
}

std::vector<std::vector<float>> LocalEmbeddings::Embed(std::span<const std::string> texts,
                                                       std::span<const std::string> languages) {
    if (texts.size() != languages.size()) throw std::invalid_argument("Embed: one language per text");
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::vector<float> v(file_->dims(), 0.0f);
        Accumulate(texts[i], languages[i], v);
        RemoveComponentAndNormalise(v, file_->principal_component());
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<std::vector<float>> LocalEmbeddings::EmbedQueries(std::span<const std::string> texts,
                                                              std::span<const std::string> languages) {
    if (texts.size() != languages.size()) throw std::invalid_argument("EmbedQueries: one language per text");
    static const std::vector<std::string> kFour{"en", "de", "es", "fr"};
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (!languages[i].empty()) {
            out.push_back(Embed(texts.subspan(i, 1), languages.subspan(i, 1)).front());
            continue;
        }
        std::vector<std::string> copies(kFour.size(), texts[i]);
        std::vector<float> sum(file_->dims(), 0.0f);
        for (const auto& reading : Embed(copies, kFour))
            for (std::size_t d = 0; d < sum.size(); ++d) sum[d] += reading[d];
        double norm = 0;
        for (float x : sum) norm += double(x) * x;
        if (norm > 0)
            for (float& x : sum) x = static_cast<float>(x / std::sqrt(norm));
        out.push_back(std::move(sum));
    }
    return out;
}

}  // namespace embedding

std::unique_ptr<EmbeddingProvider> OpenLocalEmbeddings(const std::string& vectors_file, std::string& why) {
    auto file = embedding::VectorsFile::Open(vectors_file, why);
    if (!file) return nullptr;
    return std::make_unique<embedding::LocalEmbeddings>(std::move(file));
}

}  // namespace uxf::knowledge
