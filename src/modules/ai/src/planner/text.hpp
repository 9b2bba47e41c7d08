// Small text helpers of the planner for UTF-8 text in Latin scripts (en, de, es, fr): case folding that keeps byte
// offsets, words, and phrase matching on word boundaries.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace uxf::ai::planner {

/// Lower-cases ASCII and the Latin-1 letters (À-Þ), byte for byte: offsets in the result are offsets in `s`.
std::string Fold(std::string_view s);
/// The first letter upper-cased (ASCII and Latin-1), the rest as it is.
std::string Capitalize(std::string_view s);
/// Folded words: runs of letters and digits (bytes >= 0x80 count as letters); apostrophes and hyphens split.
std::vector<std::string> Words(std::string_view s);
/// Whether `word` is one of `list`.
bool IsOneOf(std::string_view word, const std::vector<std::string_view>& list);
/// The position of `phrase` (folded, words separated by single spaces) in folded `text` on word boundaries at or
/// after `from`, or npos.
std::size_t FindPhrase(std::string_view text, std::string_view phrase, std::size_t from = 0);
/// `s` without spaces and punctuation (,;:.!?"'«»“”) at both ends.
std::string_view TrimText(std::string_view s);
/// Removes a leading phrase of `list` (folded, word boundary) from `s` repeatedly; returns what is left.
std::string_view StripLeading(std::string_view s, const std::vector<std::string_view>& list);
/// Word overlap of two texts, ignoring `stop` words and comparing word prefixes of at least 4 letters
/// ("verify"/"verification"): |shared| / |words of a|, 0 when `a` has none.
double Overlap(std::string_view a, std::string_view b, const std::vector<std::string_view>& stop);
/// The words of `text` longer than one letter that are not `stop` words.
std::vector<std::string> ContentWords(std::string_view text, const std::vector<std::string_view>& stop);
/// Overlap of words read before: the share of `a` (content words) that `b` (any words) has.
double Overlap(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace uxf::ai::planner
