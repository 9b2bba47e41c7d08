#include "extract.hpp"

#include <gumbo.h>

#include <poppler-document.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "uxf/core/strings.hpp"
#include "uxf/core/text.hpp"

namespace uxf::knowledge {
namespace {

Error Unreadable(const std::string& why) {
    return Error::Make(ErrorCode::kUnprocessable, "unreadable_document", "the document cannot be read: " + why);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Collapses whitespace runs (and U+00A0) to single spaces and trims.
std::string Squeeze(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool nbsp = static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
                    static_cast<unsigned char>(s[i + 1]) == 0xA0;
        if (IsSpace(s[i]) || nbsp) {
            space = true;
            if (nbsp) ++i;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += s[i];
    }
    return out;
}

void AddParagraph(std::vector<Block>& out, std::string_view text) {
    std::string t = Squeeze(text);
    if (!t.empty()) out.push_back({Block::Kind::kParagraph, 0, std::move(t)});
}

// Paragraphs are separated by blank lines.
std::vector<Block> PlainBlocks(std::string_view text) {
    std::vector<Block> out;
    std::string para;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (Trim(line).empty()) {
            AddParagraph(out, para);
            para.clear();
        } else {
            para += line;
            para += '\n';
        }
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    AddParagraph(out, para);
    return out;
}

// Inline Markdown to text: emphasis and code marks dropped, links and images become their text.
std::string MarkdownInline(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '!' && i + 1 < s.size() && s[i + 1] == '[') continue;  // image: keep the alt text
        if (c == '[') {
            auto close = s.find("](", i);
            auto end = close == std::string_view::npos ? close : s.find(')', close);
            if (end != std::string_view::npos) {
                out += MarkdownInline(s.substr(i + 1, close - i - 1));
                i = end;
                continue;
            }
        }
        auto alnum = [&](std::size_t k) { return std::isalnum(static_cast<unsigned char>(s[k])) != 0; };
        bool boundary = i == 0 || i + 1 == s.size() || !alnum(i - 1) || !alnum(i + 1);  // snake_case stays
        if (c == '*' || c == '`' || c == '~' || (c == '_' && boundary)) continue;
        if (c == '<') {  // inline HTML tag
            auto close = s.find('>', i);
            if (close != std::string_view::npos && close > i + 1 &&
                (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/')) {
                i = close;
                continue;
            }
        }
        if (c == '\\' && i + 1 < s.size()) c = s[++i];
        out += c;
    }
    return out;
}

std::vector<Block> MarkdownBlocks(std::string_view text) {
    std::vector<Block> out;
    std::string para;
    bool fenced = false;
    auto flush = [&] {
        AddParagraph(out, MarkdownInline(para));
        para.clear();
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view raw = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        start = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        std::string_view line = Trim(raw);
        if (line.starts_with("```") || line.starts_with("~~~")) {
            if (fenced) {  // code is kept as its own paragraph, as written
                AddParagraph(out, para);
                para.clear();
            } else {
                flush();
            }
            fenced = !fenced;
            continue;
        }
        if (fenced) {
            para += raw;
            para += '\n';
            continue;
        }
        if (line.empty()) {
            flush();
            continue;
        }
        int level = 0;
        while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
        if (level >= 1 && level <= 6 && (line.size() == static_cast<std::size_t>(level) || line[level] == ' ')) {
            flush();
            std::string_view h = Trim(line.substr(level));
            while (!h.empty() && h.back() == '#') h.remove_suffix(1);  // closing hashes
            std::string t = Squeeze(MarkdownInline(h));
            if (!t.empty()) out.push_back({Block::Kind::kHeading, level, std::move(t)});
            continue;
        }
        // Setext heading: a paragraph line underlined with === or ---.
        bool rule = line.find_first_not_of(line.front()) == std::string_view::npos && line.size() >= 3 &&
                    (line.front() == '=' || line.front() == '-' || line.front() == '*' || line.front() == '_');
        if (rule) {
            if ((line.front() == '=' || line.front() == '-') && !para.empty() && para.find('\n') == para.size() - 1) {
                std::string t = Squeeze(MarkdownInline(para));
                para.clear();
                if (!t.empty()) out.push_back({Block::Kind::kHeading, line.front() == '=' ? 1 : 2, std::move(t)});
            } else {
                flush();  // a thematic break
            }
            continue;
        }
        // Block quotes, list markers and table pipes carry no words.
        while (line.starts_with('>')) line = Trim(line.substr(1));
        bool item = false;
        if (line.size() > 1 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
            line = line.substr(2);
            item = true;
        } else {
            std::size_t digits = 0;
            while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
            if (digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
                line[digits + 1] == ' ') {
                line = line.substr(digits + 2);
                item = true;
            }
        }
        if (item && !para.empty()) para += '\n';
        std::string cleaned(line);
        if (cleaned.starts_with('|')) {
            if (cleaned.find_first_not_of("|-: ") == std::string::npos) continue;  // table separator row
            std::replace(cleaned.begin(), cleaned.end(), '|', ' ');
        }
        para += cleaned;
        para += '\n';
    }
    flush();
    return out;
}

// HTML: text of the document's elements in order; block elements end paragraphs; h1-h6 are headings.
class HtmlWalker {
  public:
    std::vector<Block> Walk(const GumboNode* root) {
        Visit(root);
        Flush();
        return std::move(out_);
    }

  private:
    static bool Skipped(GumboTag tag) {
        return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT ||
               tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_SVG || tag == GUMBO_TAG_MATH ||
               tag == GUMBO_TAG_IFRAME || tag == GUMBO_TAG_OBJECT || tag == GUMBO_TAG_SELECT;
    }
    static bool Inline(GumboTag tag) {
        switch (tag) {
            case GUMBO_TAG_A:
            case GUMBO_TAG_ABBR:
            case GUMBO_TAG_B:
            case GUMBO_TAG_BDI:
            case GUMBO_TAG_BDO:
            case GUMBO_TAG_CITE:
            case GUMBO_TAG_CODE:
            case GUMBO_TAG_DATA:
            case GUMBO_TAG_DFN:
            case GUMBO_TAG_EM:
            case GUMBO_TAG_I:
            case GUMBO_TAG_KBD:
            case GUMBO_TAG_MARK:
            case GUMBO_TAG_Q:
            case GUMBO_TAG_S:
            case GUMBO_TAG_SAMP:
            case GUMBO_TAG_SMALL:
            case GUMBO_TAG_SPAN:
            case GUMBO_TAG_STRONG:
            case GUMBO_TAG_SUB:
            case GUMBO_TAG_SUP:
            case GUMBO_TAG_TIME:
            case GUMBO_TAG_U:
            case GUMBO_TAG_VAR:
            case GUMBO_TAG_WBR:
            case GUMBO_TAG_FONT:
            case GUMBO_TAG_LABEL:
            case GUMBO_TAG_IMG:
                return true;
            default:
                return false;
        }
    }
    void Flush() {
        AddParagraph(out_, text_);
        text_.clear();
    }
    void Visit(const GumboNode* node) {
        switch (node->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_WHITESPACE:
            case GUMBO_NODE_CDATA:
                text_ += node->v.text.text;  // entities already decoded by the parser
                return;
            case GUMBO_NODE_DOCUMENT:
                VisitChildren(&node->v.document.children);
                return;
            case GUMBO_NODE_ELEMENT:
            case GUMBO_NODE_TEMPLATE:
                break;
            default:
                return;  // comments
        }
        const GumboElement& e = node->v.element;
        if (Skipped(e.tag)) return;
        if (e.tag == GUMBO_TAG_IMG) {  // its description is part of the text
            if (const GumboAttribute* alt = gumbo_get_attribute(&e.attributes, "alt")) (text_ += ' ') += alt->value;
            return;
        }
        if (e.tag == GUMBO_TAG_BR) {
            text_ += ' ';
            return;
        }
        int heading = e.tag >= GUMBO_TAG_H1 && e.tag <= GUMBO_TAG_H6 ? e.tag - GUMBO_TAG_H1 + 1 : 0;
        bool block = !Inline(e.tag);
        if (block) Flush();
        VisitChildren(&e.children);
        if (heading) {
            std::string t = Squeeze(text_);
            text_.clear();
            if (!t.empty()) out_.push_back({Block::Kind::kHeading, heading, std::move(t)});
        } else if (block) {
            Flush();
        }
    }
    void VisitChildren(const GumboVector* children) {
        for (unsigned i = 0; i < children->length; ++i) Visit(static_cast<const GumboNode*>(children->data[i]));
    }

    std::vector<Block> out_;
    std::string text_;
};

std::vector<Block> HtmlBlocks(std::string_view html) {
    std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> doc(
        gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()),
        [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
    if (!doc) return {};
    return HtmlWalker().Walk(doc->document);
}

Result<std::vector<Block>> PdfBlocks(std::string_view bytes) {
    std::vector<char> data(bytes.begin(), bytes.end());  // poppler takes a mutable buffer it does not own
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
    if (!doc) return Unreadable("not a PDF, or a damaged one");
    if (doc->is_locked()) return Unreadable("the PDF is encrypted");
    std::vector<Block> out;
    for (int i = 0; i < doc->pages(); ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) continue;
        auto utf8 = page->text().to_utf8();
        std::string text(utf8.begin(), utf8.end());
        for (auto& b : PlainBlocks(text)) out.push_back(std::move(b));
    }
    if (out.empty()) return Unreadable("the PDF has no text layer (a scan?)");
    return out;
}

}  // namespace

std::optional<ContentType> ParseContentType(std::string_view mime) {
    std::string type = ToLower(Trim(mime.substr(0, mime.find(';'))));
    if (type == "text/plain") return ContentType::kPlain;
    if (type == "text/markdown" || type == "text/x-markdown") return ContentType::kMarkdown;
    if (type == "text/html" || type == "application/xhtml+xml") return ContentType::kHtml;
    if (type == "application/pdf") return ContentType::kPdf;
    return std::nullopt;
}

std::string_view MimeOf(ContentType type) {
    switch (type) {
        case ContentType::kPlain:
            return "text/plain";
        case ContentType::kMarkdown:
            return "text/markdown";
        case ContentType::kHtml:
            return "text/html";
        case ContentType::kPdf:
            return "application/pdf";
    }
    return "text/plain";
}

Result<std::vector<Block>> ExtractBlocks(ContentType type, std::string_view content) {
    if (type == ContentType::kPdf) return PdfBlocks(content);
    if (!IsValidUtf8(content)) return Unreadable("the text is not UTF-8");
    switch (type) {
        case ContentType::kPlain:
            return PlainBlocks(content);
        case ContentType::kMarkdown:
            return MarkdownBlocks(content);
        case ContentType::kHtml:
            return HtmlBlocks(content);
        case ContentType::kPdf:
            break;
    }
    return std::vector<Block>{};
}

}  // namespace uxf::knowledge
