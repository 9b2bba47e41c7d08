// ImportWordVectors: the npm package's word vectors and the FreeDict dictionaries into one vectors file.
#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "dictd.hpp"
#include "package.hpp"
#include "sif.hpp"
#include "text/words.hpp"
#include "uxf/knowledge/embeddings.hpp"
#include "vectors_file.hpp"

namespace uxf::knowledge {
namespace {

using namespace embedding;

/// The most frequent words kept (of the package's 341,479); rarer ones are mostly names, numbers and misspellings.
constexpr std::size_t kMaxWords = 200'000;
/// A stem keeps at most this many English words (its largest coefficients): a few German stems join dozens of
/// headwords, and their tails of rare senses only blur the vector and slow lookups.
constexpr std::size_t kMaxTranslations = 48;
constexpr const char* kModel = "wink-sg-100d-sif-1";

struct Dictionary {
    const char* file;
    const char* language;
};
constexpr Dictionary kDictionaries[] = {
    {"freedict-deu-eng", "de"}, {"freedict-spa-eng", "es"}, {"freedict-fra-eng", "fr"}};

struct DictionaryFiles {
    std::string language, index, dict;
};

std::vector<DictionaryFiles> FindDictionaries(const std::string& dir) {
    namespace fs = std::filesystem;
    std::vector<DictionaryFiles> out;
    for (const auto& d : kDictionaries) {
        fs::path base = fs::path(dir) / d.file;
        fs::path index = base.string() + ".index", dz = base.string() + ".dict.dz", plain = base.string() + ".dict";
        if (!fs::is_regular_file(index))
            throw std::runtime_error("no " + index.string() + " (Debian package " + std::string(d.file) + ")");
        fs::path dict = fs::is_regular_file(dz) ? dz : plain;
        if (!fs::is_regular_file(dict))
            throw std::runtime_error("no " + dz.string() + " (Debian package " + std::string(d.file) + ")");
        out.push_back({d.language, index.string(), dict.string()});
    }
    return out;
}

// A word the tokenizer can produce as it is: one run of letters and digits, lower-case.
bool IsOneWord(std::string_view w) {
    auto words = Words(w);
    return words.size() == 1 && words[0] == w;
}

// The table from Snowball stem to English rows for one dictionary: the mean over the senses of every headword
// with that stem. Within a sense each alternative counts equally; within an alternative each English word counts
// by its SIF weight (so "to forget" is nearly all "forget"). English words without a vector are left out, and a
// sense with none is not counted.
LanguageTable BuildLanguage(const DictionaryFiles& files, const std::unordered_map<std::string, std::uint32_t>& rows,
                            const std::vector<float>& weights) {
    std::unordered_map<std::string, std::vector<RowCoef>> stems;  // each sense adds coefficients summing to 1
    std::vector<std::vector<std::uint32_t>> alts;
    ForEachDictdEntry(files.index, files.dict, [&](std::string_view headword, std::string_view text) {
        const std::string word = HeadwordWord(headword, files.language);
        if (word.empty()) return;
        std::vector<RowCoef>* coefs = nullptr;
        for (const Sense& sense : EnglishSenses(text)) {
            alts.clear();
            for (const Alternative& alt : sense) {
                std::vector<std::uint32_t> known;
                for (const auto& w : alt)
                    if (auto it = rows.find(w); it != rows.end()) known.push_back(it->second);
                if (!known.empty()) alts.push_back(std::move(known));
            }
            if (alts.empty()) continue;
            if (!coefs) coefs = &stems[Stem(word, files.language)];
            for (const auto& alt : alts) {
                double total = 0;
                for (auto r : alt) total += weights[r];
                for (auto r : alt) {
                    double share = total > 0 ? weights[r] / total : 1.0 / static_cast<double>(alt.size());
                    coefs->push_back({r, static_cast<float>(share / static_cast<double>(alts.size()))});
                }
            }
        }
    });

    LanguageTable table;
    table.language = files.language;
    std::vector<std::pair<std::string, std::vector<RowCoef>>> sorted(std::make_move_iterator(stems.begin()),
                                                                     std::make_move_iterator(stems.end()));
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [stem, c] : sorted) {
        std::sort(c.begin(), c.end(), [](const RowCoef& a, const RowCoef& b) { return a.row < b.row; });
        std::vector<RowCoef> merged;
        for (const auto& rc : c) {
            if (!merged.empty() && merged.back().row == rc.row)
                merged.back().coef += rc.coef;
            else
                merged.push_back(rc);
        }
        std::stable_sort(merged.begin(), merged.end(),
                         [](const RowCoef& a, const RowCoef& b) { return a.coef > b.coef; });
        if (merged.size() > kMaxTranslations) merged.resize(kMaxTranslations);
        float total = 0;  // the number of senses, unless the list was cut
        for (const auto& rc : merged) total += rc.coef;
        for (auto& rc : merged) rc.coef /= total;
        table.stems.push_back(std::move(stem));
        table.rows.push_back(std::move(merged));
    }
    return table;
}

}  // namespace

void ImportWordVectors(const std::string& package, const std::string& dictd_dir, const std::string& out_file) {
    const auto dictionaries = FindDictionaries(dictd_dir);  // before the long part: fail early

    auto json = OpenPackageJson(package);
    WinkVectors wink = ReadWinkVectors(*json, package, kMaxWords, IsOneWord);
    json.reset();
    if (wink.ranks.empty()) throw std::runtime_error(package + " has no usable words");

    VectorsFileContent content;
    content.model = kModel;
    content.dims = wink.dims;
    content.sif_a = static_cast<float>(kSifA);
    const Zipf zipf(wink.words.size());
    const std::size_t n = wink.ranks.size(), dims = wink.dims;
    std::vector<double> p(n);
    std::unordered_map<std::string, std::uint32_t> rows;
    for (std::size_t r = 0; r < n; ++r) {
        content.words.push_back(std::move(wink.words[wink.ranks[r]]));
        rows.emplace(content.words.back(), static_cast<std::uint32_t>(r));
        p[r] = zipf(wink.ranks[r] + 1);
        content.weights.push_back(static_cast<float>(SifWeight(kSifA, p[r])));
    }
    content.vectors = std::move(wink.vectors);

    // The common component, from the vectors as they will be stored (quantised), so run time matches it exactly.
    std::vector<float> weighted(n * dims);
    std::vector<std::int8_t> q(dims);
    for (std::size_t r = 0; r < n; ++r) {
        float scale = Quantise({content.vectors.data() + r * dims, dims}, q);
        for (std::size_t d = 0; d < dims; ++d) weighted[r * dims + d] = content.weights[r] * scale * q[d];
    }
    content.principal_component = CommonComponent(weighted, p, dims, kReferenceSentenceWords);
    weighted = {};

    for (const auto& d : dictionaries) content.languages.push_back(BuildLanguage(d, rows, content.weights));
    WriteVectorsFile(content, out_file);
}

}  // namespace uxf::knowledge
