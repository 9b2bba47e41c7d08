// Reading FreeDict bilingual dictionaries in the dictd format (Debian's freedict-*-eng packages): the .index has
// one `headword TAB offset TAB length` line per entry (numbers in dictd's base64), the .dict (or gzip/dictzip
// .dict.dz) the entries' text.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uxf::knowledge::embedding {

/// Calls `entry(headword, text)` for every entry, in index order, skipping the dictionary's own "00database..."
/// entries. Throws std::runtime_error when a file cannot be read or an index line is malformed or points outside
/// the text.
void ForEachDictdEntry(const std::string& index_path, const std::string& dict_path,
                       const std::function<void(std::string_view headword, std::string_view text)>& entry);

/// A translation: the lower-cased English words of one alternative ("shipping address" -> shipping, address).
using Alternative = std::vector<std::string>;
/// One sense: its alternatives ("refund, refunding, reimbursement").
using Sense = std::vector<Alternative>;

/// The English senses of one entry of a FreeDict X-eng dictionary. The first line is the headword (with its
/// pronunciation and part of speech); each following translation line (at most one space of indent; in the
/// Spanish and French dictionaries numbered "1. ", "2. ") is a sense, its comma- or semicolon-separated parts the
/// alternatives. Left out: examples (quoted), notes, synonyms and "see:" references (indented further), and
/// annotations in brackets of any kind ("[fin.]", "<n>", "(coll.)", "{pl}"), placeholders (sb., sth., oneself)
/// and one-letter words other than "a" and "i".
std::vector<Sense> EnglishSenses(std::string_view text);

/// The one word a headword names, or "" when it is a phrase. German verbs are listed with their objects'
/// placeholders ("etw vergessen", "jdm etw erstatten", "sich etw merken"); for "de" those are left out.
std::string HeadwordWord(std::string_view headword, std::string_view language);

}  // namespace uxf::knowledge::embedding
