// Splitting a document's blocks into chunks for search: whole paragraphs, within one section, of about
// `min_words` to `max_words` words, each starting with the last sentences of the chunk before it in its section.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "extract.hpp"

namespace uxf::knowledge {

struct ChunkSettings {
    std::size_t min_words =
        200;  ///< a chunk is closed when the next paragraph would pass max_words and it has this many
    std::size_t max_words = 400;     ///< longer paragraphs are split at sentences (at words, for run-on sentences)
    std::size_t overlap_words = 40;  ///< words carried from the end of a chunk into the next one of its section
};

struct TextChunk {
    std::string heading;  ///< the section it is in: its headings joined with " > " ("Refunds > Shipping")
    std::string text;     ///< its paragraphs, separated by blank lines
    std::size_t words = 0;
};

std::vector<TextChunk> ChunkBlocks(const std::vector<Block>& blocks, const ChunkSettings& settings = {});

/// A chunk's id: the same document, text and occurrence (the n-th chunk of that document with this text) give the
/// same id, so ingesting a document again keeps the ids of the chunks that did not change.
std::string ChunkId(std::string_view document_id, std::string_view text, std::size_t occurrence);

/// Words as the chunker counts them: runs of non-space characters.
std::size_t CountWords(std::string_view text);

}  // namespace uxf::knowledge
