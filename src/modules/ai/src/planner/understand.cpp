#include "planner/understand.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "planner/lexicon.hpp"
#include "planner/text.hpp"

namespace uxf::ai::planner {
namespace {

using Kind = Element::Kind;

// The earliest occurrence of any phrase of `list` in folded `f` at or after `from`: (position, length).
std::pair<std::size_t, std::size_t> FindAny(std::string_view f, const std::vector<std::string_view>& list,
                                            std::size_t from = 0) {
    std::pair<std::size_t, std::size_t> best{std::string_view::npos, 0};
    for (auto p : list) {
        std::size_t at = FindPhrase(f, p, from);
        if (at < best.first || (at == best.first && p.size() > best.second)) best = {at, p.size()};
    }
    return best;
}

std::size_t WordCount(std::string_view s) { return Words(s).size(); }

// Splits `text` at every phrase of `list` (word boundaries), dropping the phrases.
std::vector<std::string> SplitAt(std::string_view text, const std::vector<std::string_view>& list) {
    std::string f = Fold(text);
    std::vector<std::string> out;
    std::size_t start = 0;
    for (auto [at, len] = FindAny(f, list); at != std::string_view::npos;
         std::tie(at, len) = FindAny(f, list, at + len)) {
        out.emplace_back(TrimText(text.substr(start, at - start)));
        start = at + len;
    }
    out.emplace_back(TrimText(text.substr(start)));
    return out;
}

// A clause's pieces at " and " when both sides have two words or more ("pick a seat and pay by card"), so names
// such as "terms and conditions" stay whole.
std::vector<std::string> SplitConjunction(const std::string& clause, const Lexicon& lx) {
    std::string f = Fold(clause);
    for (auto [at, len] = FindAny(f, lx.conjunction); at != std::string_view::npos;
         std::tie(at, len) = FindAny(f, lx.conjunction, at + len)) {
        std::string left(TrimText(std::string_view(clause).substr(0, at)));
        std::string right(TrimText(std::string_view(clause).substr(at + len)));
        if (WordCount(left) >= 2 && WordCount(right) >= 2 &&
            FindAny(Fold(left), lx.alternative).first == std::string_view::npos) {
            auto rest = SplitConjunction(right, lx);
            rest.insert(rest.begin(), left);
            return rest;
        }
    }
    return {clause};
}

std::vector<std::string> Clauses(std::string_view body, const Lexicon& lx) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        for (auto& piece : SplitAt(current, lx.sequence))
            if (!piece.empty()) out.push_back(piece);
        current.clear();
    };
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        bool decimal = c == '.' && i > 0 && i + 1 < body.size() &&
                       std::isdigit(static_cast<unsigned char>(body[i - 1])) &&
                       std::isdigit(static_cast<unsigned char>(body[i + 1]));
        if ((c == ',' || c == ';' || c == '.' || c == '!' || c == '?' || c == '\n') && !decimal)
            flush();
        else
            current += c;
    }
    flush();
    return out;
}

bool HasAlternative(std::string_view clause, const Lexicon& lx) {
    return FindAny(Fold(clause), lx.alternative).first != std::string_view::npos;
}

// A list "pay by card", "PayPal or Apple Pay" read as one clause: items of at most three words before an "or"
// join the clause before them.
std::vector<std::string> MergeLists(std::vector<std::string> clauses, const Lexicon& lx) {
    std::vector<std::string> out;
    for (auto& c : clauses) {
        // only a bare list continues one ("PayPal or Apple Pay" after "pay by card"); "pay by card or PayPal"
        // holds its own words and stands alone
        auto [or_at, or_len] = FindAny(Fold(c), lx.alternative);
        bool bare = or_at != std::string_view::npos && WordCount(std::string_view(c).substr(0, or_at)) <= 2;
        if (!out.empty() && bare && WordCount(c) <= 8 && FindAny(Fold(c), lx.condition).first != 0) {
            // How far back the bare items go: each of at most three words.
            std::size_t first = out.size();
            while (first > 0 && WordCount(out[first - 1]) <= 3 && !HasAlternative(out[first - 1], lx) &&
                   first + 3 > out.size())
                --first;
            if (first > 0 && first == out.size()) first = out.size() - 1;  // the clause holding the shared words
            if (first < out.size() && WordCount(out[first]) <= 7) {
                std::string merged = out[first];
                for (std::size_t i = first + 1; i < out.size(); ++i) merged += ", " + out[i];
                merged += ", " + c;
                out.resize(first);
                out.push_back(std::move(merged));
                continue;
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

int NumberValue(std::string_view word, const Lexicon& lx) {
    if (!word.empty() &&
        std::all_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return word.size() <= 2 ? std::stoi(std::string(word)) : 0;
    for (std::size_t i = 0; i < lx.numbers.size(); ++i)
        if (lx.numbers[i] == word) return static_cast<int>(i);
    // "eine", "una", "une" count as one only in front of a step noun, which the caller checks.
    return 0;
}

// "a three-step tour", "5 questions", "in drei Schritten", "tres pasos", "en trois étapes".
bool ReadCount(std::string_view clause, const Lexicon& lx, Element& out) {
    auto words = Words(clause);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        int n = NumberValue(words[i], lx);
        if (n < 2 || n > 12) continue;
        std::string noun = words[i + 1];
        // German compounds: "Drei-Schritte-Tour", "3-Schritt-Anleitung"
        if (IsOneOf(noun, lx.step_nouns) ||
            (i + 2 < words.size() && IsOneOf(words[i + 2], lx.step_nouns) && words[i + 1].size() < 3)) {
            out.kind = Kind::kCount;
            out.count = n;
            out.noun = noun;
            return true;
        }
    }
    return false;
}

void ReadChoice(std::string_view clause, const Lexicon& lx, Element& e) {
    e.kind = Kind::kChoice;
    std::vector<std::string> items;
    std::vector<std::string_view> separators(lx.alternative.begin(), lx.alternative.end());
    for (auto& part : SplitAt(clause, separators)) {
        std::string_view rest = part;
        for (std::size_t comma; (comma = rest.find(',')) != std::string_view::npos; rest = rest.substr(comma + 1))
            if (!TrimText(rest.substr(0, comma)).empty()) items.emplace_back(TrimText(rest.substr(0, comma)));
        if (!TrimText(rest).empty()) items.emplace_back(TrimText(rest));
    }
    if (items.size() < 2) {
        e.kind = Kind::kStep;
        e.text = std::string(clause);
        return;
    }
    // The first item holds the shared words: "pay by card" with "PayPal", "Apple Pay" -> "pay by" and "card".
    std::size_t shortest = WordCount(items[1]);
    for (std::size_t i = 2; i < items.size(); ++i) shortest = std::min(shortest, WordCount(items[i]));
    auto first_words = Words(items[0]);
    if (first_words.size() > shortest) {
        // Cut the original text after its (size - shortest)th word.
        std::string_view t = items[0];
        std::size_t keep = first_words.size() - shortest, seen = 0, i = 0;
        while (i < t.size() && seen < keep) {
            while (i < t.size() && !std::isalnum(static_cast<unsigned char>(t[i])) &&
                   static_cast<unsigned char>(t[i]) < 0x80)
                ++i;
            while (i < t.size() && (std::isalnum(static_cast<unsigned char>(t[i])) ||
                                    static_cast<unsigned char>(t[i]) >= 0x80 || t[i] == '-' || t[i] == '\''))
                ++i;
            ++seen;
        }
        e.text = std::string(TrimText(t.substr(0, i)));
        items[0] = std::string(TrimText(t.substr(i)));
    }
    for (auto& item : items) item = std::string(StripLeading(item, lx.articles));
    std::erase_if(items, [](const std::string& s) { return s.empty(); });
    e.options = std::move(items);
    if (e.options.size() < 2) {
        e.kind = Kind::kStep;
        e.text = std::string(clause);
        e.options.clear();
    }
}

bool IsConsequence(std::string_view clause, const Lexicon& lx) {
    std::string f = Fold(TrimText(clause));
    for (auto p : lx.consequence)
        if (FindPhrase(f, p) != std::string_view::npos) return true;
    return false;
}

bool MentionsRetry(std::string_view clause, const Lexicon& lx) {
    std::string f = Fold(clause);
    return FindAny(f, lx.retry).first != std::string_view::npos;
}

std::string CleanStep(std::string_view clause, const Lexicon& lx) {
    std::vector<std::string_view> lead(lx.conjunction.begin(), lx.conjunction.end());
    lead.insert(lead.end(), lx.sequence.begin(), lx.sequence.end());
    lead.insert(lead.end(), lx.subjects.begin(), lx.subjects.end());
    std::string out(StripLeading(clause, lead));
    // a trailing "and" or "then" left by a split ("enter the address and")
    for (bool again = true; again;) {
        again = false;
        std::string f = Fold(out);
        for (auto t : lx.conjunction)
            if (f.size() > t.size() && f.ends_with(t) && f[f.size() - t.size() - 1] == ' ') {
                out = std::string(TrimText(std::string_view(out).substr(0, out.size() - t.size())));
                again = true;
                break;
            }
    }
    return out;
}

std::vector<Element> ReadElements(const std::vector<std::string>& clauses, const Lexicon& lx) {
    std::vector<Element> out;
    for (std::size_t i = 0; i < clauses.size(); ++i) {
        std::string clause = CleanStep(clauses[i], lx);
        if (clause.empty()) continue;
        std::string f = Fold(clause);
        Element e;
        auto [at, len] = FindAny(f, lx.condition);
        if (at != std::string_view::npos &&
            (at == 0 || IsConsequence(clause.substr(0, at), lx) || WordCount(clause.substr(0, at)) <= 4)) {
            e.kind = Kind::kCondition;
            std::string before(TrimText(std::string_view(clause).substr(0, at)));
            std::string after(TrimText(std::string_view(clause).substr(at + len)));
            // "if the card is declined show an error": the consequence may follow in the same clause
            std::string fa = Fold(after);
            auto [cat, clen] = FindAny(fa, lx.consequence);
            if (cat != std::string_view::npos && cat > 0) {
                e.consequence = std::string(TrimText(std::string_view(after).substr(cat)));
                after = std::string(TrimText(std::string_view(after).substr(0, cat)));
                std::vector<std::string_view> tail(lx.conjunction.begin(), lx.conjunction.end());
                tail.insert(tail.end(), lx.sequence.begin(), lx.sequence.end());
                // drop a trailing "and"/"then"
                for (auto t : tail) {
                    std::string fa2 = Fold(after);
                    if (fa2.size() > t.size() && fa2.ends_with(t) && fa2[fa2.size() - t.size() - 1] == ' ') {
                        after = std::string(TrimText(std::string_view(after).substr(0, after.size() - t.size())));
                        break;
                    }
                }
            }
            if (!before.empty()) e.consequence = before + (e.consequence.empty() ? "" : ", " + e.consequence);
            e.text = std::string(StripLeading(after, lx.subjects));
            // the next clauses saying what to do about it belong to it
            while (i + 1 < clauses.size() && IsConsequence(clauses[i + 1], lx) &&
                   FindAny(Fold(clauses[i + 1]), lx.condition).first == std::string_view::npos) {
                e.consequence += (e.consequence.empty() ? "" : ", ") + std::string(TrimText(clauses[i + 1]));
                ++i;
            }
            e.retry = MentionsRetry(e.consequence, lx) || MentionsRetry(e.text, lx) || !e.consequence.empty();
            if (!e.text.empty()) out.push_back(std::move(e));
            continue;
        }
        if (IsConsequence(clause, lx) && !out.empty() && out.back().kind == Kind::kCondition) {
            out.back().consequence += ", " + clause;
            out.back().retry = true;
            continue;
        }
        if (ReadCount(clause, lx, e)) {
            e.text = clause;
            out.push_back(std::move(e));
            continue;
        }
        if (HasAlternative(clause, lx)) {
            ReadChoice(clause, lx, e);
            if (e.kind == Kind::kChoice) {
                out.push_back(std::move(e));
                continue;
            }
        }
        for (auto& piece : SplitConjunction(clause, lx)) {
            Element s;
            s.kind = Kind::kStep;
            s.text = CleanStep(piece, lx);
            auto words = Words(s.text);
            s.system = !words.empty() && IsOneOf(words.front(), lx.system_verbs);
            if (!s.text.empty()) out.push_back(std::move(s));
        }
    }
    return out;
}

// "... for a fitness app" -> "fitness app": up to four words after a domain marker and its articles.
std::string ReadDomain(std::string_view text, const Lexicon& lx, std::size_t* cut) {
    std::string f = Fold(text);
    for (auto [at, len] = FindAny(f, lx.domain); at != std::string_view::npos;
         std::tie(at, len) = FindAny(f, lx.domain, at + len)) {
        std::string_view rest = std::string_view(text).substr(at + len);
        std::string_view tail = StripLeading(rest, lx.articles);
        // up to a clause boundary or a relative word
        std::string ft = Fold(tail);
        std::size_t end = ft.size();
        for (char c : std::string_view(",;:.("))
            end = std::min(end, ft.find(c) == std::string::npos ? end : ft.find(c));
        std::vector<std::string_view> stops(lx.relative.begin(), lx.relative.end());
        stops.insert(stops.end(), lx.conjunction.begin(), lx.conjunction.end());
        stops.insert(stops.end(), lx.alternative.begin(), lx.alternative.end());
        stops.insert(stops.end(), lx.condition.begin(), lx.condition.end());
        stops.insert(stops.end(), {"with", "mit", "con", "avec", "that", "which", "who", "die", "der", "que", "qui"});
        end = std::min(end, FindAny(ft, stops).first);
        std::string domain(TrimText(tail.substr(0, std::min(end, tail.size()))));
        auto words = Words(domain);
        if (words.empty() || words.size() > 4) continue;
        // "for new users", "for 10 minutes": not a product's domain
        if (IsOneOf(words.front(), lx.stop) && words.size() == 1) continue;
        if (cut) *cut = at;
        return domain;
    }
    return {};
}

}  // namespace

std::size_t Reading::Explicit() const {
    return static_cast<std::size_t>(
        std::count_if(elements.begin(), elements.end(), [](const Element& e) { return e.kind != Kind::kCount; }));
}

Reading Understand(std::string_view prompt, std::string_view language) {
    const Lexicon& lx = LexiconFor(language);
    Reading r;
    r.language = std::string(lx.language);
    std::string text(TrimText(prompt));
    std::string f = Fold(text);
    std::string head, body;
    std::size_t colon = text.find(':');
    auto [rel, rel_len] = FindAny(f, lx.relative);
    if (colon != std::string::npos && WordCount(std::string_view(text).substr(0, colon)) <= 12) {
        head = text.substr(0, colon);
        body = text.substr(colon + 1);
    } else if (rel != std::string_view::npos && rel > 0) {
        head = text.substr(0, rel);
        body = text.substr(rel + rel_len);
    } else {
        auto clauses = MergeLists(Clauses(text, lx), lx);
        bool structured = clauses.size() >= 3;
        for (const auto& c : clauses)
            if (FindAny(Fold(c), lx.condition).first != std::string_view::npos) structured = true;
        if (structured) {
            // The first clause names the journey when it names a domain ("... for a fitness app"); the clauses
            // after it, already split, are its elements.
            head = ReadDomain(clauses.front(), lx, nullptr).empty() ? "" : clauses.front();
            if (!head.empty()) {
                if (HasAlternative(head, lx)) {
                    Element choice;
                    ReadChoice(CleanStep(head, lx), lx, choice);
                    if (choice.kind == Kind::kChoice) r.elements.push_back(choice);
                }
                auto rest = ReadElements({clauses.begin() + 1, clauses.end()}, lx);
                r.elements.insert(r.elements.end(), rest.begin(), rest.end());
            } else {
                // no journey named apart from its steps: the first step names it for the start
                r.elements = ReadElements(clauses, lx);
                head = clauses.front();
                r.head = head;
                r.domain = ReadDomain(text, lx, nullptr);
                return r;
            }
        } else {
            head = text;
            bool spelt_out = false;
            for (const auto& c : clauses) {
                Element probe;
                spelt_out |= HasAlternative(c, lx) || ReadCount(c, lx, probe);
            }
            if (spelt_out) r.elements = ReadElements(clauses, lx);
        }
    }
    if (!body.empty()) {
        auto more = ReadElements(MergeLists(Clauses(body, lx), lx), lx);
        r.elements.insert(r.elements.end(), more.begin(), more.end());
    }
    // A count in the journey's name ("a three-step onboarding tour").
    Element count;
    if (std::none_of(r.elements.begin(), r.elements.end(), [](const Element& e) { return e.kind == Kind::kCount; }) &&
        ReadCount(head, lx, count))
        r.elements.insert(r.elements.begin(), count);
    r.head = head;
    std::size_t cut = std::string::npos;
    r.domain = ReadDomain(head, lx, &cut);
    if (r.domain.empty()) r.domain = ReadDomain(text, lx, nullptr);
    std::string journey_text = cut == std::string::npos ? head : head.substr(0, cut);
    std::vector<std::string_view> joins(lx.journey_join.begin(), lx.journey_join.end());
    for (auto& j : SplitAt(journey_text, joins)) {
        std::string_view clean = StripLeading(j, lx.articles);
        if (!clean.empty()) r.journeys.emplace_back(clean);
    }
    if (r.journeys.empty() && !journey_text.empty()) r.journeys.push_back(journey_text);
    return r;
}

Understanding Summarize(const Reading& r) {
    Understanding u;
    u.language = r.language;
    u.domain = r.domain;
    u.journeys = r.journeys;
    for (const auto& e : r.elements) {
        switch (e.kind) {
            case Kind::kStep:
                u.steps.push_back(e.text);
                break;
            case Kind::kChoice:
                u.choices.push_back(e.options);
                break;
            case Kind::kCondition:
                u.conditions.push_back(e.text);
                break;
            case Kind::kCount:
                u.count = e.count;
                break;
        }
    }
    return u;
}

}  // namespace uxf::ai::planner
