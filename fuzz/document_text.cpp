// (g) Knowledge documents: any bytes as an upload. The first byte picks the format (plain, Markdown, HTML, PDF);
// the rest is the document. Text is extracted or refused with 422, never otherwise; chunks hold words, stay
// within the limit, and carry the document's text only.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "text/chunk.hpp"
#include "text/extract.hpp"
#include "text/words.hpp"
#include "uxf/knowledge/language.hpp"

namespace {

[[noreturn]] void Broken(const char* what) {
    std::fprintf(stderr, "INVARIANT BROKEN: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace uxf::knowledge;
    if (size == 0) return 0;
    constexpr ContentType kTypes[] = {ContentType::kPlain, ContentType::kMarkdown, ContentType::kHtml,
                                      ContentType::kPdf};
    ContentType type = kTypes[data[0] % 4];
    std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
    auto blocks = ExtractBlocks(type, content);
    if (!blocks.ok()) {
        if (blocks.error().code != uxf::ErrorCode::kUnprocessable) Broken("refused with a code that is not 422");
        return 0;
    }
    ChunkSettings s{20, 40, 8};  // small, so short inputs make several chunks
    for (const auto& c : ChunkBlocks(*blocks, s)) {
        if (c.words == 0 || c.text.empty()) Broken("an empty chunk");
        if (c.words > s.max_words) Broken("a chunk above the word limit");
        if (c.words != CountWords(c.text)) Broken("a chunk's word count is wrong");
        DetectLanguage(c.text);
        for (const auto& w : Words(c.text)) Stem(w, "de");
        WordSpans(c.text);
    }
    return 0;
}
