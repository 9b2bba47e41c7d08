#include "dictd.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "test_files.hpp"

namespace uxf::knowledge::embedding {
namespace {

using namespace testing;

std::string Show(const std::vector<Sense>& senses) {
    std::string out;
    for (const auto& sense : senses) {
        for (const auto& alt : sense) {
            for (const auto& w : alt) out += w + " ";
            out.back() = ',';
        }
        out.back() = '|';
    }
    return out;
}

TEST(Dictd, ReadsEveryEntryOfCompressedAndPlainDictionaries) {
    TempDir dir;
    WriteTinyDictionaries(dir.str());
    std::vector<std::string> headwords, texts;
    auto collect = [&](std::string_view h, std::string_view t) {
        headwords.emplace_back(h);
        texts.emplace_back(t);
    };
    ForEachDictdEntry(dir / "freedict-deu-eng.index", dir / "freedict-deu-eng.dict.dz", collect);
    ASSERT_EQ(headwords.size(), 7u);  // without 00databaseinfo
    EXPECT_EQ(headwords[0], "aber dalli");
    EXPECT_EQ(texts[3], "etw. vergessen /fɛɾɡˈɛsən/ <vt>\nto forget sth.\n");
    headwords.clear();
    ForEachDictdEntry(dir / "freedict-spa-eng.index", dir / "freedict-spa-eng.dict", collect);
    EXPECT_EQ(headwords, (std::vector<std::string>{"contraseña", "dirección", "mi", "olvidar"}));
}

TEST(Dictd, RefusesBrokenIndexes) {
    TempDir dir;
    WriteFile(dir / "d.dict", "headword\nword\n");
    auto read = [&](const std::string& index) {
        WriteFile(dir / "d.index", index);
        ForEachDictdEntry(dir / "d.index", dir / "d.dict", [](std::string_view, std::string_view) {});
    };
    EXPECT_NO_THROW(read("headword\tA\tO\n"));                    // offset 0, length 14
    EXPECT_THROW(read("headword\tA\tP\n"), std::runtime_error);   // one byte past the end
    EXPECT_THROW(read("headword A O\n"), std::runtime_error);     // no tabs
    EXPECT_THROW(read("headword\tA\tO!\n"), std::runtime_error);  // not base64
    EXPECT_THROW(ForEachDictdEntry(dir / "none.index", dir / "d.dict", [](std::string_view, std::string_view) {}),
                 std::runtime_error);
}

TEST(Dictd, TakesTranslationLinesAndLeavesExamplesNotesAndReferences) {
    // The shape of the German (Ding) entries: one sense per entry, domain labels, grammar in brackets.
    const char* bank =
        "Bank /bˈaŋk/ <fem, n, sg>\n"
        " [fin.] bank <n>, banking house (coll.) <n>; to bank sth. {vt}\n"
        "      \"Bank für Internationalen Zahlungsausgleich\"  - Bank for International Settlements\n"
        "         Note: in a public area\n"
        "   Synonyms: {Bankinstitut}, {Geldinstitut}\n"
        "\n"
        " see: {Bankinstitute}, {Banken}\n";
    EXPECT_EQ(Show(EnglishSenses(bank)), "bank,banking house,to bank|");
    // The Spanish and French ones: numbered senses.
    EXPECT_EQ(Show(EnglishSenses("esperar /ˌespeɾˈaɾ/\n1. foresee\n2. abide, expect, wait for sb.\n3. hope\n")),
              "foresee|abide,expect,wait for|hope|");
    // Placeholders and stray letters go; "a" and "I" stay.
    EXPECT_EQ(Show(EnglishSenses("x\noneself's sb's thing, a pen, I\n")), "thing,a pen,i|");
    EXPECT_EQ(Show(EnglishSenses("headword only\n")), "");
    EXPECT_EQ(Show(EnglishSenses("")), "");
}

TEST(Dictd, HeadwordIsOneWordWithoutGermanPlaceholders) {
    EXPECT_EQ(HeadwordWord("etw vergessen", "de"), "vergessen");
    EXPECT_EQ(HeadwordWord("sich etw merken", "de"), "merken");
    EXPECT_EQ(HeadwordWord("jdm etw erstatten", "de"), "erstatten");
    EXPECT_EQ(HeadwordWord("Geld…", "de"), "geld");
    EXPECT_EQ(HeadwordWord(" aber dalli", "de"), "");
    EXPECT_EQ(HeadwordWord("compadecer a", "es"), "");
    EXPECT_EQ(HeadwordWord("sich", "es"), "sich");
    EXPECT_EQ(HeadwordWord("", "fr"), "");
}

}  // namespace
}  // namespace uxf::knowledge::embedding
