#include "uxf/knowledge/settings.hpp"

namespace uxf::knowledge {
namespace {

using namespace settings;
using K = KnowledgeSettings;

constexpr Entry<K> kTable[] = {
    Integer<&K::max_document_bytes>("UXFLOW_MAX_DOCUMENT_BYTES", 1, 1LL << 30,
                                    "Largest knowledge document, as uploaded (413 beyond; the request body limit "
                                    "UXFLOW_MAX_BODY_BYTES applies first)."),
    Integer<&K::max_documents_per_workspace>("UXFLOW_MAX_DOCUMENTS_PER_WORKSPACE", 1, 10'000'000,
                                             "Knowledge documents one workspace may hold."),
    Integer<&K::max_title_chars>("UXFLOW_MAX_DOCUMENT_TITLE_CHARS", 1, 10'000,
                                 "Longest document title, in characters."),
    Integer<&K::chunk_min_words>("UXFLOW_CHUNK_MIN_WORDS", 1, 100'000,
                                 "Words a chunk of a document gathers before it may be closed at a paragraph."),
    Integer<&K::chunk_max_words>("UXFLOW_CHUNK_MAX_WORDS", 2, 100'000, "Most words in one chunk."),
    Integer<&K::chunk_overlap_words>("UXFLOW_CHUNK_OVERLAP_WORDS", 0, 10'000,
                                     "Words carried from the end of a chunk into the next one of its section."),
    Integer<&K::max_search_k>("UXFLOW_MAX_SEARCH_K", 1, 1000, "Most hits one knowledge search may ask for."),
    Text<&K::vectors_file>("UXFLOW_VECTORS_FILE",
                           "Word vectors for search by meaning, made by `uxflow admin import-vectors` (without the "
                           "file, search is by words only).",
                           "<data dir>/wink-sg-100d-sif-1.vectors"),
};

}  // namespace

std::span<const Entry<K>> KnowledgeSettingsTable() { return kTable; }

}  // namespace uxf::knowledge
