#include "planner/refine.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "planner/builder.hpp"
#include "planner/lexicon.hpp"
#include "planner/text.hpp"
#include "uxf/knowledge/patterns.hpp"

namespace uxf::ai::planner {
namespace {

using flows::NodeType;
using flows::Trigger;

Error NotUnderstood(const std::string& why) {
    return Error::Make(ErrorCode::kUnprocessable, "instruction_not_understood",
                       why +
                           ". The planner reads: add X after/before/from Y, remove X, rename X to Y, make X optional, "
                           "add an error path when ...");
}

// The quoted parts of a text ('x', "x", «x», “x”, „x“).
std::vector<std::string> Quoted(std::string_view s) {
    static const std::pair<std::string_view, std::string_view> kQuotes[] = {
        {"\"", "\""}, {"'", "'"}, {"«", "»"}, {"“", "”"}, {"„", "“"}, {"‘", "’"}, {"`", "`"}};
    std::vector<std::pair<std::size_t, std::string>> found;
    for (auto [open, close] : kQuotes) {
        for (std::size_t at = s.find(open); at != std::string_view::npos;) {
            // an apostrophe inside a word ("user's", "l'écran") is no quote
            if (open == "'" && at > 0 && std::isalpha(static_cast<unsigned char>(s[at - 1]))) {
                at = s.find(open, at + 1);
                continue;
            }
            std::size_t end = s.find(close, at + open.size());
            if (end == std::string_view::npos) break;
            std::string inner(s.substr(at + open.size(), end - at - open.size()));
            if (!inner.empty()) found.emplace_back(at, inner);
            at = s.find(open, end + close.size());
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

class Refiner {
  public:
    Refiner(const std::string& instruction, const flows::FlowDraft& current, const std::string& locale,
            const PatternFinder& find)
        : text_(TrimText(instruction)),
          f_(Fold(text_)),
          lx_(LexiconFor(locale)),
          locale_(locale),
          find_(find),
          b_(current) {
        stop_.assign(lx_.stop.begin(), lx_.stop.end());
        stop_.insert(stop_.end(), lx_.node_words.begin(), lx_.node_words.end());
        quoted_ = Quoted(text_);
    }

    Result<Refinement> Run(const flows::FlowDraft& current) {
        MovePlaceLast();
        Result<void> done = NotUnderstood("the instruction names no change the planner knows");
        if (Has(lx_.error_path))
            done = ErrorPath();
        else if (Starts(lx_.rename) || Has(lx_.rename))
            done = Rename();
        else if (HasOptional())
            done = Optional();
        else if (Starts(lx_.remove) || EndsWithVerb(lx_.remove))
            done = Remove();
        else if (Starts(lx_.add) || EndsWithVerb(lx_.add))
            done = Add();
        if (!done.ok()) return done.error();
        Refinement r;
        r.ops = OpsBetween(current, b_.draft());
        if (r.ops.empty()) return NotUnderstood("the instruction changes nothing");
        r.summary = summary_;
        return r;
    }

  private:
    // "After 'Watch lesson video', add a short quiz" -> "add a short quiz after 'Watch lesson video'".
    void MovePlaceLast() {
        std::vector<std::string_view> markers(lx_.after.begin(), lx_.after.end());
        markers.insert(markers.end(), lx_.before.begin(), lx_.before.end());
        std::size_t comma = text_.find(',');
        if (comma == std::string::npos) return;
        for (auto m : markers)
            if (FindPhrase(f_, m) == 0) {
                std::string place = text_.substr(0, comma), rest(TrimText(std::string_view(text_).substr(comma + 1)));
                text_ = rest + " " + place;
                f_ = Fold(text_);
                return;
            }
    }

    bool Starts(const std::vector<std::string_view>& verbs) const {
        for (auto v : verbs)
            if (FindPhrase(f_, v) == 0) return true;
        return false;
    }
    bool Has(const std::vector<std::string_view>& phrases) const {
        for (auto p : phrases)
            if (FindPhrase(f_, p) != std::string_view::npos) return true;
        return false;
    }
    // German puts the verb last: "den Newsletter-Schritt entfernen".
    bool EndsWithVerb(const std::vector<std::string_view>& verbs) const {
        auto words = Words(f_);
        return !words.empty() && IsOneOf(words.back(), verbs) && words.back().size() > 3;
    }
    bool HasOptional() const {
        for (auto w : {"optional", "opcional", "facultatif", "facultative", "optionnel", "optionnelle", "skippable",
                       "überspringbar", "skip"})
            if (FindPhrase(f_, w) != std::string_view::npos) return true;
        return false;
    }

    // The text between the first of `verbs` and the first of `markers` after it ("add X after Y" -> X, Y).
    static std::pair<std::string, std::string> Around(std::string_view text, std::string_view folded,
                                                      const std::vector<std::string_view>& markers) {
        std::size_t best = std::string_view::npos, len = 0;
        for (auto m : markers)
            for (std::size_t at = FindPhrase(folded, m); at != std::string_view::npos;
                 at = FindPhrase(folded, m, at + 1))
                if (at > 0 && (best == std::string_view::npos || at > best)) best = at, len = m.size();
        if (best == std::string_view::npos) return {std::string(text), ""};
        return {std::string(TrimText(text.substr(0, best))), std::string(TrimText(text.substr(best + len)))};
    }

    std::string WithoutVerbs(std::string_view s, const std::vector<std::string_view>& verbs) {
        std::string_view t = StripLeading(s, verbs);
        t = StripLeading(t, lx_.articles);
        // and a verb at the end
        std::string f = Fold(t);
        for (auto v : verbs)
            if (f.size() > v.size() && f.ends_with(v) && f[f.size() - v.size() - 1] == ' ')
                return std::string(TrimText(t.substr(0, t.size() - v.size())));
        return std::string(TrimText(t));
    }

    // The node a phrase names: its quoted part, else its words without "screen", "step" and articles.
    const flows::Node* Resolve(const std::string& phrase) {
        auto quoted = Quoted(phrase);
        std::string ref = quoted.empty() ? phrase : quoted.front();
        const flows::Node* best = nullptr;
        double best_score = 0.3;
        for (const auto& n : b_.draft().nodes) {
            if (Fold(n.label) == Fold(TrimText(ref))) return &n;
            double s = 0.7 * Overlap(ref, n.label, stop_) + 0.3 * Overlap(n.label, ref, stop_);
            if (n.type == NodeType::kStart || n.type == NodeType::kEnd) s *= 0.8;
            if (s > best_score) best = &n, best_score = s;
        }
        return best;
    }

    Result<void> Rename() {
        std::string from, to;
        if (quoted_.size() >= 2) {
            from = quoted_[0];
            to = quoted_[1];
        } else {
            std::string rest = WithoutVerbs(text_, lx_.rename);
            for (auto v : {"um", "umbenennen"})
                if (Fold(rest).ends_with(std::string(" ") + v))
                    rest = rest.substr(0, rest.size() - std::string(v).size() - 1);
            auto [a, b] = Around(rest, Fold(rest), lx_.rename_to);
            from = a;
            to = b;
        }
        to = std::string(TrimText(to));
        if (to.empty()) return NotUnderstood("the instruction says no new name");
        const auto* node = Resolve(from);
        if (!node) return NotUnderstood("no node is called \"" + from + "\"");
        summary_ = "renamed \"" + node->label + "\" to \"" + to + "\"";
        b_.Find(node->id)->label = Clip(Capitalize(to), kMaxLabelChars);
        return Ok();
    }

    Result<void> Remove() {
        std::string what = WithoutVerbs(text_, lx_.remove);
        const auto* node = Resolve(what);
        if (!node) return NotUnderstood("no node is called \"" + what + "\"");
        if (node->type == NodeType::kStart) return NotUnderstood("the start cannot be removed");
        std::string id = node->id;
        summary_ = "removed \"" + node->label + "\"";
        // its predecessors lead to its successors, so every path still ends
        auto ins = b_.In(id);
        auto outs = b_.Out(id);
        std::vector<flows::Edge> bridges;
        for (auto* in : ins)
            for (auto* out : outs)
                if (in->source != id && out->target != id && in->source != out->target &&
                    out->trigger != Trigger::kBack)
                    bridges.push_back({"", in->source, out->target, in->label, in->trigger, in->condition});
        b_.RemoveNode(id);
        for (const auto& e : bridges) {
            bool exists = false;
            for (auto* o : b_.Out(e.source)) exists |= o->target == e.target;
            if (!exists) {
                auto eid = b_.AddEdge(e.source, e.target, e.label, e.trigger);
                for (auto& x : b_.draft().edges)
                    if (x.id == eid) x.condition = e.condition;
            }
        }
        return Ok();
    }

    Result<void> Optional() {
        std::vector<std::string_view> drop(lx_.optional.begin(), lx_.optional.end());
        for (auto w : {"optional", "opcional", "facultatif", "facultative", "optionnel", "optionnelle", "skippable",
                       "überspringbar", "sea", "machen", "mache", "mach", "haz", "que", "make", "rends", "rendre"})
            drop.push_back(w);
        std::string what = quoted_.empty() ? std::string(text_) : quoted_.front();
        std::string cleaned;
        for (auto& w : SplitWords(what))
            if (!IsOneOf(Fold(w), drop)) cleaned += (cleaned.empty() ? "" : " ") + w;
        const auto* node = Resolve(cleaned);
        if (!node) return NotUnderstood("no node is called \"" + cleaned + "\"");
        std::string id = node->id;
        summary_ = "made \"" + node->label + "\" optional";
        auto ins = b_.In(id);
        auto outs = b_.Out(id);
        auto forward =
            std::find_if(outs.begin(), outs.end(), [](flows::Edge* e) { return e->trigger != Trigger::kBack; });
        if (forward == outs.end() || ins.empty()) return NotUnderstood("\"" + node->label + "\" has no step after it");
        std::string target = (*forward)->target;
        std::vector<std::string> sources;
        for (auto* in : ins)
            if (in->trigger != Trigger::kBack && in->source != target) sources.push_back(in->source);
        for (const auto& s : sources) b_.AddEdge(s, target, std::string(lx_.labels.skip), Trigger::kClick);
        return Ok();
    }

    static std::vector<std::string> SplitWords(const std::string& s) {
        std::vector<std::string> out;
        std::string cur;
        for (char c : s) {
            if (c == ' ') {
                if (!cur.empty()) out.push_back(cur);
                cur.clear();
            } else {
                cur += c;
            }
        }
        if (!cur.empty()) out.push_back(cur);
        return out;
    }

    // "add an error path when the payment fails": a decision after the step it is about, its "yes" an error screen
    // leading back to that step.
    Result<void> ErrorPath() {
        std::string condition;
        std::size_t at = std::string_view::npos, len = 0;
        for (auto m : lx_.condition) {
            std::size_t p = FindPhrase(f_, m);
            if (p != std::string_view::npos && p < at) at = p, len = m.size();
        }
        if (at != std::string_view::npos) condition = std::string(TrimText(std::string_view(text_).substr(at + len)));
        if (condition.empty()) {
            std::string rest = WithoutVerbs(text_, lx_.add);
            for (auto p : lx_.error_path) {
                std::size_t q = FindPhrase(Fold(rest), p);
                if (q != std::string_view::npos) rest = rest.substr(q + p.size());
            }
            condition = std::string(TrimText(StripLeading(rest, lx_.after)));
        }
        if (condition.empty()) return NotUnderstood("the instruction says not when the error happens");
        condition = std::string(StripLeading(condition, lx_.articles));
        std::string anchor_phrase = condition;
        const flows::Node* anchor = nullptr;
        if (!quoted_.empty()) anchor = Resolve(quoted_.front());
        if (!anchor) anchor = Resolve(anchor_phrase);
        if (!anchor) {
            // the step before the end
            for (const auto& n : b_.draft().nodes)
                if (n.type == NodeType::kEnd && !b_.In(n.id).empty()) anchor = b_.Find(b_.In(n.id).front()->source);
        }
        if (!anchor) return NotUnderstood("the flow has no step the error could follow");
        std::string id = anchor->id;
        summary_ = "added an error path after \"" + anchor->label + "\"";
        auto outs = b_.Out(id);
        auto forward =
            std::find_if(outs.begin(), outs.end(), [](flows::Edge* e) { return e->trigger != Trigger::kBack; });
        std::string target;
        std::string label;
        std::optional<Trigger> trigger = Trigger::kClick;
        if (forward != outs.end()) {
            target = (*forward)->target;
            label = (*forward)->label;
            trigger = (*forward)->trigger;
            b_.RemoveEdge((*forward)->id);
        } else {
            target = EndNode();
        }
        auto decision = b_.AddNode(NodeType::kDecision, Capitalize(condition) + "?", {});
        b_.AddEdge(id, decision, label, trigger);
        auto error = b_.AddNode(NodeType::kScreen, std::string(lx_.labels.error) + ": " + condition, {});
        b_.AddEdge(decision, error, std::string(lx_.labels.yes), Trigger::kAuto);
        b_.AddEdge(decision, target, std::string(lx_.labels.no), Trigger::kAuto);
        b_.AddEdge(error, b_.Find(id)->type == NodeType::kStart ? target : id, std::string(lx_.labels.try_again),
                   Trigger::kClick);
        return Ok();
    }

    std::string EndNode() {
        for (const auto& n : b_.draft().nodes)
            if (n.type == NodeType::kEnd) return n.id;
        return b_.AddNode(NodeType::kEnd, std::string(lx_.labels.end));
    }

    Result<void> Add() {
        std::string rest = WithoutVerbs(text_, lx_.add);
        std::vector<std::string_view> markers;
        markers.insert(markers.end(), lx_.after.begin(), lx_.after.end());
        markers.insert(markers.end(), lx_.before.begin(), lx_.before.end());
        markers.insert(markers.end(), lx_.from.begin(), lx_.from.end());
        // Which marker splits the instruction: the last one that leaves a node reference after it.
        std::string what = rest, where;
        std::string mode = "end";
        std::string fr = Fold(rest);
        std::size_t best = std::string_view::npos;
        std::size_t best_len = 0;
        for (auto m : markers)
            for (std::size_t at = FindPhrase(fr, m); at != std::string_view::npos; at = FindPhrase(fr, m, at + 1)) {
                if (at == 0) continue;
                std::string tail(TrimText(std::string_view(rest).substr(at + m.size())));
                if (tail.empty() || !Resolve(tail)) continue;
                if (best == std::string_view::npos || at > best) {
                    best = at, best_len = m.size();
                    mode = IsOneOf(m, lx_.after) ? "after" : IsOneOf(m, lx_.before) ? "before" : "from";
                }
            }
        const flows::Node* anchor = nullptr;
        auto quotes = Quoted(rest);
        if (quotes.size() >= 2) {
            // "Füge nach „Lieferadresse“ einen Schritt „Versandart wählen“ ein": which quote follows a marker
            for (std::size_t q = 0; q < quotes.size() && !anchor; ++q) {
                std::size_t at = rest.find(quotes[q]);
                std::string before = Fold(TrimText(std::string_view(rest).substr(0, at)));
                for (auto m : markers) {
                    auto words = Words(before);
                    auto mw = Words(m);
                    std::size_t skip = 0;
                    while (words.size() > skip && IsOneOf(words[words.size() - 1 - skip], lx_.articles)) ++skip;
                    if (words.size() >= skip + mw.size() &&
                        std::equal(mw.begin(), mw.end(), words.end() - static_cast<long>(skip + mw.size())))
                        if (const auto* n = Resolve("\"" + quotes[q] + "\"")) {
                            anchor = n;
                            mode = IsOneOf(m, lx_.after) ? "after" : IsOneOf(m, lx_.before) ? "before" : "from";
                            what = "\"" + quotes[q == 0 ? 1 : 0] + "\"";
                            break;
                        }
                }
            }
        }
        if (!anchor && best != std::string_view::npos) {
            what = std::string(TrimText(std::string_view(rest).substr(0, best)));
            where = std::string(TrimText(std::string_view(rest).substr(best + best_len)));
            // German: "nach dem Login einen Schritt X hinzufügen" puts the place first; handled by the same split
            anchor = Resolve(where);
        }
        auto quoted = Quoted(what);
        std::string label = quoted.empty() ? std::string(StripLeading(what, lx_.articles)) : quoted.front();
        // without the words that only say what kind of thing it is ("step", "screen", "path")
        std::string clean;
        for (auto& w : SplitWords(label))
            if (!IsOneOf(Fold(std::string(TrimText(w))), lx_.node_words) || quoted.size())
                clean += (clean.empty() ? "" : " ") + w;
        label = std::string(TrimText(clean.empty() ? label : clean));
        if (label.empty()) return NotUnderstood("the instruction says not what to add");
        if (!anchor) {
            for (const auto& n : b_.draft().nodes)
                if (n.type == NodeType::kEnd && !b_.In(n.id).empty()) anchor = b_.Find(b_.In(n.id).front()->source);
            mode = "after";
        }
        if (!anchor) return NotUnderstood("the flow has no step to add it to");
        std::string anchor_id = anchor->id, anchor_label = anchor->label;
        // A path that is a known journey ("a forgot-password path") brings the pattern's steps.
        bool path = quoted.empty() && (mode == "from" || Has({"path", "flow", "pfad", "ablauf", "ruta", "flujo",
                                                              "chemin", "parcours", "option", "opción"}));
        const knowledge::Pattern* pattern = nullptr;
        if (path || mode == "from") {
            double best_score = 0.5;
            for (const auto* p : find_(label)) {
                double s = Relevance(*p, label, locale_);
                if (s >= best_score) pattern = p, best_score = s;
            }
        }
        if (pattern && mode == "from") {
            std::string entry = anchor_id;
            bool named = false;
            for (const auto& [lid, l] : pattern->Text(locale_).labels) named |= Overlap(label, l, stop_) >= 0.5;
            if (!named) {
                // the pattern's labels do not say what the person asked for: a first screen that does
                entry = b_.AddNode(NodeType::kScreen, Capitalize(label), {{"pattern", pattern->id, ""}});
                b_.AddEdge(anchor_id, entry, Capitalize(label), Trigger::kClick);
            }
            AddPattern(*pattern, entry, entry == anchor_id ? Capitalize(label) : std::string(lx_.labels.next),
                       anchor_id);
            summary_ = "added \"" + pattern->Text(locale_).name + "\" from \"" + anchor_label + "\"";
            return Ok();
        }
        std::string id =
            b_.AddNode(NodeType::kScreen, Capitalize(label),
                       pattern ? std::vector<SourceRef>{{"pattern", pattern->id, ""}} : std::vector<SourceRef>{});
        if (mode == "before") {
            for (auto* in : b_.In(anchor_id))
                if (in->trigger != Trigger::kBack) in->target = id;
            b_.AddEdge(id, anchor_id, std::string(lx_.labels.next), Trigger::kClick);
            summary_ = "added \"" + Capitalize(label) + "\" before \"" + anchor_label + "\"";
        } else if (mode == "from") {
            b_.AddEdge(anchor_id, id, Capitalize(label), Trigger::kClick);
            b_.AddEdge(id, anchor_id, std::string(lx_.labels.back), Trigger::kBack);
            summary_ = "added \"" + Capitalize(label) + "\" from \"" + anchor_label + "\"";
        } else {
            auto outs = b_.Out(anchor_id);
            auto forward =
                std::find_if(outs.begin(), outs.end(), [](flows::Edge* e) { return e->trigger != Trigger::kBack; });
            if (forward == outs.end()) {
                b_.AddEdge(anchor_id, id, "", Trigger::kClick);
                b_.AddEdge(id, EndNode(), std::string(lx_.labels.next), Trigger::kClick);
            } else {
                std::string target = (*forward)->target;
                (*forward)->target = id;
                b_.AddEdge(id, target, std::string(lx_.labels.next), Trigger::kClick);
            }
            summary_ = "added \"" + Capitalize(label) + "\" after \"" + anchor_label + "\"";
        }
        return Ok();
    }

    // The pattern's steps reached from `from`; where the pattern ends, the way leads back to `from`.
    void AddPattern(const knowledge::Pattern& p, const std::string& from, const std::string& label,
                    const std::string& back) {
        const auto& text = p.Text(locale_);
        auto label_of = [&](const std::string& id) {
            auto it = text.labels.find(id);
            return it == text.labels.end() ? std::string() : it->second;
        };
        std::map<std::string, std::string> ids;
        std::string start;
        for (const auto& n : p.nodes) {
            auto type = flows::ParseNodeType(n.type).value_or(NodeType::kScreen);
            if (type == NodeType::kStart) {
                start = n.id;
                continue;
            }
            if (type == NodeType::kEnd) {
                ids[n.id] = back;
                continue;
            }
            ids[n.id] =
                b_.AddNode(type, label_of(n.id), {{"pattern", p.id, ""}}, Slug(p.id).substr(0, 10) + "_" + n.id);
        }
        for (const auto& e : p.edges) {
            auto trigger = e.trigger.empty() ? std::nullopt : flows::ParseTrigger(e.trigger);
            if (e.source == start) {
                b_.AddEdge(from, ids[e.target], label, Trigger::kClick);
                continue;
            }
            if (ids[e.source] == back && ids[e.target] == back) continue;
            b_.AddEdge(ids[e.source], ids[e.target], label_of(e.id), trigger);
        }
    }

    std::string text_, f_;
    const Lexicon& lx_;
    std::string locale_;
    const PatternFinder& find_;
    GraphBuilder b_;
    std::vector<std::string_view> stop_;
    std::vector<std::string> quoted_;
    std::string summary_;
};

}  // namespace

Result<Refinement> Refine(const std::string& instruction, const flows::FlowDraft& current, const std::string& locale,
                          const PatternFinder& find) {
    return Refiner(instruction, current, locale, find).Run(current);
}

std::vector<flows::Op> OpsBetween(const flows::FlowDraft& before, const flows::FlowDraft& after) {
    using K = flows::Op::Kind;
    std::map<std::string, const flows::Node*> old_nodes, new_nodes;
    std::map<std::string, const flows::Edge*> old_edges, new_edges;
    for (const auto& n : before.nodes) old_nodes[n.id] = &n;
    for (const auto& n : after.nodes) new_nodes[n.id] = &n;
    for (const auto& e : before.edges) old_edges[e.id] = &e;
    for (const auto& e : after.edges) new_edges[e.id] = &e;
    std::vector<flows::Op> ops;
    for (const auto& e : before.edges)
        if (!new_edges.count(e.id) && new_nodes.count(e.source) && new_nodes.count(e.target)) {
            flows::Op op{K::kRemoveEdge};
            op.id = e.id;
            ops.push_back(op);
        }
    for (const auto& n : before.nodes)
        if (!new_nodes.count(n.id)) {
            flows::Op op{K::kRemoveNode};
            op.id = n.id;
            ops.push_back(op);
        }
    for (const auto& n : after.nodes)
        if (!old_nodes.count(n.id)) {
            flows::Op op{K::kAddNode};
            op.node = n;
            ops.push_back(op);
        } else {
            const auto& o = *old_nodes[n.id];
            flows::Op op{K::kUpdateNode};
            op.id = n.id;
            if (o.label != n.label) op.node_set.label = n.label;
            if (o.type != n.type) op.node_set.type = n.type;
            if (o.data != n.data) op.node_set.data = n.data;
            if (op.node_set.label || op.node_set.type || op.node_set.data) ops.push_back(op);
        }
    for (const auto& e : after.edges)
        if (!old_edges.count(e.id)) {
            flows::Op op{K::kAddEdge};
            op.edge = e;
            ops.push_back(op);
        } else {
            const auto& o = *old_edges[e.id];
            flows::Op op{K::kUpdateEdge};
            op.id = e.id;
            if (o.source != e.source) op.edge_set.source = e.source;
            if (o.target != e.target) op.edge_set.target = e.target;
            if (o.label != e.label) op.edge_set.label = e.label;
            if (o.trigger != e.trigger) op.edge_set.trigger = e.trigger;
            if (o.condition != e.condition) op.edge_set.condition = e.condition;
            if (op.edge_set.source || op.edge_set.target || op.edge_set.label || op.edge_set.trigger ||
                op.edge_set.condition)
                ops.push_back(op);
        }
    return ops;
}

}  // namespace uxf::ai::planner
