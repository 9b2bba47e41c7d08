// Words of UTF-8 text for search and embeddings: split, lower-cased, and stemmed per language (Snowball).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace uxf::knowledge {

/// The lower-cased words of UTF-8 text: runs of letters and digits of any script; everything else (spaces,
/// punctuation, symbols, apostrophes: "l'accès" gives "l", "accès") separates them. Invalid UTF-8 bytes separate
/// words too. Lower-casing covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
std::vector<std::string> Words(std::string_view text);

/// Where Words found each word in `text`: byte offset and length, in order (for highlighting).
struct WordSpan {
    std::size_t offset = 0, length = 0;
};
std::vector<WordSpan> WordSpans(std::string_view text);

/// Whether a lower-cased word is a stop word of `language` ("en", "de", "es", "fr": Snowball's lists, in
/// stopwords/), or of any of the four when `language` is empty. Any other language has none.
bool IsStopword(std::string_view word, std::string_view language);

/// The languages with a stemmer: "en", "de", "es", "fr".
bool HasStemmer(std::string_view language);

/// Snowball stem of a lower-cased word in `language` ("en", "de", "es", "fr"; any other: the word itself).
/// "bestellungen" -> "bestell", "pagar"/"pago" -> "pag". Thread-safe (one stemmer per thread and language).
std::string Stem(std::string_view word, std::string_view language);

}  // namespace uxf::knowledge
