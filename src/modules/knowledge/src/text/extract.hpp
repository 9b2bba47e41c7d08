// The text of a document, as headings and paragraphs, from the formats teams upload: plain text, Markdown, HTML
// (parsed by Gumbo, the HTML5 algorithm browsers use: scripts, styles and markup dropped, entities decoded) and
// PDF (Poppler's text layer).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/result.hpp"

namespace uxf::knowledge {

enum class ContentType { kPlain, kMarkdown, kHtml, kPdf };

/// From a MIME type (`text/markdown; charset=utf-8`); nullopt for a type this module does not read.
std::optional<ContentType> ParseContentType(std::string_view mime);
std::string_view MimeOf(ContentType type);

struct Block {
    enum class Kind { kHeading, kParagraph };
    Kind kind = Kind::kParagraph;
    int level = 0;     ///< headings: 1 (#, h1) to 6
    std::string text;  ///< one line of plain text: whitespace runs are single spaces
};

/// The blocks of `content` in reading order. 422 `unreadable_document` when a PDF cannot be read (damaged,
/// encrypted, no text layer) or text is not UTF-8.
Result<std::vector<Block>> ExtractBlocks(ContentType type, std::string_view content);

}  // namespace uxf::knowledge
