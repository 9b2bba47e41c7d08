#include "chunk.hpp"

#include "uxf/platform/crypto.hpp"

namespace uxf::knowledge {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t'; }

// Sentences of a paragraph: each ends after ., ! or ? followed by a space (the space goes with the next one).
std::vector<std::string_view> Sentences(std::string_view p) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < p.size(); ++i)
        if ((p[i] == '.' || p[i] == '!' || p[i] == '?') && p[i + 1] == ' ') {
            out.push_back(p.substr(start, i + 1 - start));
            start = i + 2;
        }
    if (start < p.size()) out.push_back(p.substr(start));
    return out;
}

// The last `n` words of `s`.
std::string_view LastWords(std::string_view s, std::size_t n) {
    std::size_t i = s.size(), seen = 0;
    while (i > 0) {
        while (i > 0 && IsSpace(s[i - 1])) --i;
        if (i == 0) break;
        while (i > 0 && !IsSpace(s[i - 1])) --i;
        if (++seen == n) return s.substr(i);
    }
    return s;
}

// Pieces of a paragraph of at most `max` words: sentences grouped, run-on sentences cut at words.
std::vector<std::string> Pieces(std::string_view p, std::size_t max) {
    std::vector<std::string> out;
    std::string cur;
    std::size_t cur_words = 0;
    auto add = [&](std::string_view s, std::size_t words) {
        if (cur_words + words > max && cur_words > 0) {
            out.push_back(std::move(cur));
            cur.clear();
            cur_words = 0;
        }
        if (!cur.empty()) cur += ' ';
        cur += s;
        cur_words += words;
    };
    for (std::string_view s : Sentences(p)) {
        std::size_t words = CountWords(s);
        if (words <= max) {
            add(s, words);
            continue;
        }
        std::size_t i = 0;  // a sentence longer than a chunk: cut every `max` words
        while (i < s.size()) {
            std::size_t j = i, n = 0;
            while (j < s.size() && n < max) {
                while (j < s.size() && IsSpace(s[j])) ++j;
                if (j == s.size()) break;
                while (j < s.size() && !IsSpace(s[j])) ++j;
                ++n;
            }
            add(s.substr(i, j - i), n);
            while (j < s.size() && IsSpace(s[j])) ++j;
            i = j;
        }
    }
    if (cur_words > 0) out.push_back(std::move(cur));
    return out;
}

class Chunker {
  public:
    explicit Chunker(const ChunkSettings& s) : s_(s) {}

    void Heading(const Block& b) {
        Emit(false);
        headings_.resize(std::min<std::size_t>(headings_.size(), static_cast<std::size_t>(std::max(b.level, 1) - 1)));
        while (headings_.size() + 1 < static_cast<std::size_t>(b.level)) headings_.push_back("");
        headings_.push_back(b.text);
    }

    void Paragraph(const std::string& text) {
        for (auto& piece : Pieces(text, s_.max_words)) {
            std::size_t words = CountWords(piece);
            if (words_ + words > s_.max_words && fresh_ > 0) Emit(true);
            if (words_ + words > s_.max_words) Reset();  // the carried sentences do not fit beside this piece
            if (!text_.empty()) text_ += "\n\n";
            text_ += piece;
            words_ += words;
            fresh_ += words;
            if (words_ >= s_.max_words && words_ >= s_.min_words) Emit(true);
        }
    }

    std::vector<TextChunk> Finish() {
        Emit(false);
        return std::move(out_);
    }

  private:
    // Closes the current chunk when it holds words of its own; `carry`: its last sentences start the next one.
    void Emit(bool carry) {
        if (fresh_ == 0) {
            if (!carry) Reset();
            return;
        }
        std::string heading;
        for (const auto& h : headings_)
            if (!h.empty()) heading += (heading.empty() ? "" : " > ") + h;
        out_.push_back({heading, text_, words_});
        std::string tail;
        if (carry && s_.overlap_words > 0) {
            std::string_view text(text_);  // the sentences are views into text_, which lives until Reset below
            std::size_t last = text.rfind("\n\n");
            auto sentences = Sentences(text.substr(last == std::string_view::npos ? 0 : last + 2));
            std::size_t n = 0, from = sentences.size();
            while (from > 0 && n + CountWords(sentences[from - 1]) <= s_.overlap_words)
                n += CountWords(sentences[--from]);
            if (from == sentences.size())  // the last sentence alone is too long: its last words
                tail = std::string(LastWords(text_, s_.overlap_words));
            else
                for (std::size_t i = from; i < sentences.size(); ++i)
                    tail += (tail.empty() ? "" : " ") + std::string(sentences[i]);
        }
        Reset();
        text_ = tail;
        words_ = CountWords(tail);
    }
    void Reset() {
        text_.clear();
        words_ = fresh_ = 0;
    }

    const ChunkSettings& s_;
    std::vector<std::string> headings_;
    std::vector<TextChunk> out_;
    std::string text_;
    std::size_t words_ = 0, fresh_ = 0;  ///< words in the chunk; those not carried over from the one before
};

}  // namespace

std::size_t CountWords(std::string_view text) {
    std::size_t n = 0;
    bool in = false;
    for (char c : text) {
        bool word = !IsSpace(c);
        if (word && !in) ++n;
        in = word;
    }
    return n;
}

std::vector<TextChunk> ChunkBlocks(const std::vector<Block>& blocks, const ChunkSettings& settings) {
    Chunker c(settings);
    for (const auto& b : blocks) {
        if (b.kind == Block::Kind::kHeading)
            c.Heading(b);
        else
            c.Paragraph(b.text);
    }
    return c.Finish();
}

std::string ChunkId(std::string_view document_id, std::string_view text, std::size_t occurrence) {
    std::string basis(document_id);
    basis += '\n';
    basis += std::to_string(occurrence);
    basis += '\n';
    basis += text;
    return "chk_" + crypto::Sha256Hex(basis).substr(0, 24);
}

}  // namespace uxf::knowledge
