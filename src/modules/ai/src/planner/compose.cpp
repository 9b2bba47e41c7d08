#include "planner/compose.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "planner/builder.hpp"
#include "planner/lexicon.hpp"
#include "planner/text.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/knowledge/patterns.hpp"

namespace uxf::ai::planner {
namespace {

using flows::NodeType;
using flows::Trigger;
using Kind = Element::Kind;

// An open end of the graph built so far: the next node is reached from `node` by an edge labelled `label`.
struct Exit {
    std::string node, label;
    std::optional<Trigger> trigger;
};

std::vector<std::string_view> StopWords(const Lexicon& lx) {
    std::vector<std::string_view> stop(lx.stop.begin(), lx.stop.end());
    stop.insert(stop.end(), lx.numbers.begin(), lx.numbers.end());
    stop.insert(stop.end(), lx.step_nouns.begin(), lx.step_nouns.end());
    stop.insert(stop.end(), lx.articles.begin(), lx.articles.end());
    return stop;
}

// The edges themselves: pointers into the graph do not survive adding edges to it.
std::vector<flows::Edge> Copies(const std::vector<flows::Edge*>& edges) {
    std::vector<flows::Edge> out;
    for (const auto* e : edges) out.push_back(*e);
    return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? std::string(sep) : "") + items[i];
    return out;
}

std::string CountLabel(const Lexicon& lx, const std::string& noun, int k, int n) {
    // the noun in the singular: the shortest of the lexicon's nouns it starts with ("steps" -> "step")
    std::string singular = noun;
    for (auto w : lx.step_nouns)
        if (noun.starts_with(w) && w.size() < singular.size()) singular = std::string(w);
    std::string of(lx.labels.step_of);
    of.replace(of.find("{k}"), 3, std::to_string(k));
    of.replace(of.find("{n}"), 3, std::to_string(n));
    return Capitalize(singular) + " " + of;
}

class Composer {
  public:
    explicit Composer(const ComposeInput& in) : in_(in), lx_(LexiconFor(in.locale)), stop_(StopWords(lx_)) {}

    flows::FlowDraft Run() {
        const Reading& r = in_.reading;
        std::size_t steps =
            std::count_if(r.elements.begin(), r.elements.end(), [](const Element& e) { return e.kind == Kind::kStep; });
        auto example = FindExample();
        std::vector<const knowledge::Pattern*> patterns;
        if (!example && steps < 2) patterns = JourneyPatterns();
        if (example) {
            FromExample(*example);
        } else if (!patterns.empty()) {
            FromPatterns(patterns);
        } else {
            FromSteps();
        }
        AttachDocuments();
        flows::FlowDraft& d = b_.draft();
        d.name = Name(patterns);
        d.description = Clip(Capitalize(std::string(TrimText(in_.prompt))), 500);
        return std::move(d);
    }

  private:
    // ---- sources

    std::vector<SourceRef> PatternSourceFor(const std::string& label) {
        for (const auto* p : candidates_)
            for (const auto& [id, text] : p->Text(in_.locale).labels)
                if (Overlap(label, text, stop_) >= 0.99 && Overlap(text, label, stop_) >= 0.5)
                    return {{"pattern", p->id, ""}};
        return {};
    }

    void AttachDocuments() {
        for (auto& n : b_.draft().nodes) {
            if (n.type == NodeType::kStart || n.type == NodeType::kEnd) continue;
            auto sources = SourcesOf(n.data);
            for (const auto& x : in_.excerpts) {
                auto words = Words(n.label);
                std::size_t content = std::count_if(words.begin(), words.end(), [&](const std::string& w) {
                    return w.size() > 3 && !IsOneOf(w, stop_);
                });
                if (content == 0) continue;
                double o = Overlap(n.label, x.text, stop_);
                if (o >= 0.99 && (content >= 2 || Words(n.label).front().size() >= 6)) {
                    sources.push_back({"document", x.document_id, x.chunk_id});
                    break;
                }
            }
            n.data = SourcesData(sources);
        }
    }

    // ---- examples: an earlier generation rated up, for a prompt that says nearly the same

    const ExampleRef* FindExample() {
        const ExampleRef* best = nullptr;
        double best_score = 0.6;
        for (const auto& x : in_.examples) {
            double s = std::min(Overlap(in_.prompt, x.prompt, stop_), Overlap(x.prompt, in_.prompt, stop_));
            if (s >= best_score) best = &x, best_score = s;
        }
        return best;
    }

    void FromExample(const ExampleRef& x) {
        auto draft = flows::ParseFlowDocument(x.flow_json, flows::FlowSettings{});
        if (!draft.ok()) return FromSteps();
        for (auto& n : draft->nodes) {
            auto sources = SourcesOf(n.data);
            sources.push_back({"example", x.generation_id, ""});
            n.data = SourcesData(sources);
            n.position.reset();
        }
        b_ = GraphBuilder(std::move(*draft));
    }

    // ---- patterns

    std::vector<const knowledge::Pattern*> JourneyPatterns() {
        std::vector<const knowledge::Pattern*> out;
        auto consider = [&](const std::string& journey) -> const knowledge::Pattern* {
            const knowledge::Pattern* best = nullptr;
            double best_score = 0;
            auto found = in_.find(journey);
            for (const auto* p : found) candidates_.push_back(p);
            for (const auto* p : found) {
                if (std::find(out.begin(), out.end(), p) != out.end()) continue;
                double s = Relevance(*p, journey, in_.locale);
                if (s > best_score) best = p, best_score = s;
            }
            return best_score >= 0.6 ? best : nullptr;
        };
        for (const auto& j : in_.reading.journeys) {
            if (const auto* p = consider(j))
                out.push_back(p), relevance_ = std::min(relevance_, Relevance(*p, j, in_.locale));
            else
                unmatched_.push_back(j);
        }
        if (out.empty() && in_.reading.journeys.size() > 1) {
            std::string all = Join(in_.reading.journeys, " ");
            if (const auto* p = consider(all)) out.push_back(p), unmatched_.clear();
        }
        return out;
    }

    // The pattern's graph with ids prefixed by `prefix`; returns its start node and its end nodes.
    std::pair<std::string, std::vector<std::string>> Instantiate(const knowledge::Pattern& p,
                                                                 const std::string& prefix) {
        const auto& text = p.Text(in_.locale);
        std::map<std::string, std::string> ids;
        std::string start;
        std::vector<std::string> ends;
        auto label = [&](const std::string& id) {
            auto it = text.labels.find(id);
            return it == text.labels.end() ? std::string() : it->second;
        };
        for (const auto& n : p.nodes) {
            auto type = flows::ParseNodeType(n.type).value_or(NodeType::kScreen);
            ids[n.id] = b_.AddNode(type, label(n.id), {{"pattern", p.id, ""}}, prefix + n.id);
            if (type == NodeType::kStart) start = ids[n.id];
            if (type == NodeType::kEnd) ends.push_back(ids[n.id]);
        }
        for (const auto& e : p.edges) {
            auto id = b_.AddEdge(ids[e.source], ids[e.target], label(e.id),
                                 e.trigger.empty() ? std::nullopt : flows::ParseTrigger(e.trigger));
            if (!e.condition.empty())
                for (auto& edge : b_.draft().edges)
                    if (edge.id == id) edge.condition = e.condition;
        }
        return {start, ends};
    }

    void FromPatterns(const std::vector<const knowledge::Pattern*>& patterns) {
        std::vector<std::string> previous_ends;
        for (std::size_t i = 0; i < patterns.size(); ++i) {
            std::string prefix = patterns.size() > 1 ? Slug(patterns[i]->id).substr(0, 12) + "_" : "";
            auto [start, ends] = Instantiate(*patterns[i], prefix);
            if (i > 0) {
                // the previous journey's ends lead into this one where its start led
                // copies: adding edges moves the graph's edges
                auto entry = Copies(b_.Out(start));
                for (const auto& end : previous_ends) {
                    for (const auto& e : Copies(b_.In(end)))
                        for (std::size_t k = 0; k < entry.size(); ++k) {
                            if (k == 0)
                                b_.FindEdge(e.id)->target = entry[k].target;
                            else
                                b_.AddEdge(e.source, entry[k].target, entry[k].label, entry[k].trigger);
                        }
                    b_.RemoveNode(end);
                }
                b_.RemoveNode(start);
            } else if (!in_.reading.domain.empty() || relevance_ < 0.99 || !unmatched_.empty()) {
                // the journey's own words, where the pattern's labels do not have them
                auto* s = b_.Find(start);
                std::string head(TrimText(in_.reading.head));
                s->label = Clip(Capitalize(Words(head).size() <= 10 ? head : in_.reading.domain) + ": " + s->label,
                                kMaxLabelChars);
            }
            previous_ends = ends;
        }
        ApplyCount();
        InsertElements();
        std::vector<std::string> steps;
        for (const auto& j : unmatched_) steps.push_back(Capitalize(j));
        InsertChain(steps, BeforeEnd());
    }

    // A count: the pattern's numbered run ("Tour 1/3") made that long, or a run of numbered screens before the end.
    void ApplyCount() {
        for (const auto& e : in_.reading.elements)
            if (e.kind == Kind::kCount) {
                count_done_ = true;
                std::vector<std::string> run;
                for (const auto& n : b_.draft().nodes)
                    if (n.type == NodeType::kScreen && n.label.find('/') != std::string::npos &&
                        n.label.find_first_of("0123456789") != std::string::npos)
                        run.push_back(n.id);
                if (run.size() >= 2) {
                    ResizeRun(run, e.count);
                } else {
                    InsertChain(CountLabels(e), BeforeEnd());
                }
            }
    }

    std::vector<std::string> CountLabels(const Element& e) {
        std::vector<std::string> labels;
        for (int k = 1; k <= e.count; ++k) labels.push_back(CountLabel(lx_, e.noun, k, e.count));
        // the first says what it is about ("Take a guided tour in three steps – Step 1 of 3")
        std::string about(TrimText(e.text));
        if (!about.empty() && Words(about).size() <= 12 && Words(about).size() > 2)
            labels.front() = Capitalize(about) + " – " + labels.front();
        return labels;
    }

    void ResizeRun(const std::vector<std::string>& run, int n) {
        auto numbered = [&](const std::string& label, int k) {
            // "Tour 1/3: what the app does" -> "Tour k/n: what the app does"
            std::size_t slash = label.find('/');
            std::size_t a = slash, z = slash + 1;
            while (a > 0 && std::isdigit(static_cast<unsigned char>(label[a - 1]))) --a;
            while (z < label.size() && std::isdigit(static_cast<unsigned char>(label[z]))) ++z;
            return label.substr(0, a) + std::to_string(k) + "/" + std::to_string(n) + label.substr(z);
        };
        int have = static_cast<int>(run.size());
        for (int k = 0; k < std::min(have, n); ++k) b_.Find(run[k])->label = numbered(b_.Find(run[k])->label, k + 1);
        if (n < have) {
            // the last kept screen leads where the last of the run led
            std::string keep = run[n - 1];
            for (const auto& e : Copies(b_.Out(keep)))
                if (std::find(run.begin(), run.end(), e.target) != run.end() && e.trigger != Trigger::kBack)
                    b_.RemoveEdge(e.id);
            for (const auto& e : Copies(b_.Out(run.back()))) {
                auto kept = b_.Out(keep);
                if (std::find(run.begin(), run.end(), e.target) == run.end() &&
                    std::none_of(kept.begin(), kept.end(), [&](flows::Edge* k) { return k->target == e.target; }))
                    b_.AddEdge(keep, e.target, e.label, e.trigger);
            }
            for (int k = n; k < have; ++k) b_.RemoveNode(run[k]);
        } else if (n > have) {
            std::string last = run.back();
            std::string base = b_.Find(last)->label;
            std::vector<flows::Edge> onward;
            for (auto* e : b_.Out(last))
                if (std::find(run.begin(), run.end(), e->target) == run.end()) onward.push_back(*e);
            std::string forward_label = lx_.labels.next.data();
            for (auto* e : b_.Out(run.front()))
                if (e->target == run[1]) forward_label = e->label;
            for (const auto& e : onward) b_.RemoveEdge(e.id);
            std::string prev = last;
            for (int k = have + 1; k <= n; ++k) {
                std::string label = base;
                std::size_t colon = label.find(':');
                label = numbered(colon == std::string::npos ? label : label.substr(0, colon), k);
                auto id = b_.AddNode(NodeType::kScreen, label, SourcesOf(b_.Find(last)->data));
                b_.AddEdge(prev, id, forward_label, Trigger::kClick);
                b_.AddEdge(id, prev, lx_.labels.back.data(), Trigger::kBack);
                prev = id;
            }
            for (const auto& e : onward) b_.AddEdge(prev, e.target, e.label, e.trigger);
        }
    }

    // The node just before the first end node, or the start.
    std::string BeforeEnd() {
        for (const auto& n : b_.draft().nodes)
            if (n.type == NodeType::kEnd) {
                auto in = b_.In(n.id);
                if (!in.empty()) return in.front()->source;
            }
        return b_.draft().nodes.empty() ? "" : b_.draft().nodes.front().id;
    }

    // The existing node that `text` names best (not the start or an end), or "".
    std::string Anchor(const std::string& text) {
        std::string best;
        double best_score = 0.34;
        for (const auto& n : b_.draft().nodes) {
            if (n.type == NodeType::kStart || n.type == NodeType::kEnd) continue;
            double s = Overlap(text, n.label, stop_);
            if (s > best_score) best = n.id, best_score = s;
        }
        return best;
    }

    // Inserts screens in a chain after `anchor`, on its first way forward.
    void InsertChain(const std::vector<std::string>& labels, const std::string& anchor) {
        if (labels.empty() || anchor.empty()) return;
        auto outs = b_.Out(anchor);
        auto forward =
            std::find_if(outs.begin(), outs.end(), [](flows::Edge* e) { return e->trigger != Trigger::kBack; });
        std::string first, last;
        for (const auto& l : labels) {
            auto id = b_.AddNode(NodeType::kScreen, l, PatternSourceFor(l));
            if (first.empty())
                first = id;
            else
                b_.AddEdge(last, id, lx_.labels.next.data(), Trigger::kClick);
            last = id;
        }
        if (forward == outs.end()) {
            b_.AddEdge(anchor, first, "", Trigger::kClick);
            b_.AddEdge(last, EndNode(), "", Trigger::kClick);
            return;
        }
        std::string target = (*forward)->target;
        (*forward)->target = first;
        b_.AddEdge(last, target, lx_.labels.next.data(), Trigger::kClick);
    }

    std::string EndNode() {
        for (const auto& n : b_.draft().nodes)
            if (n.type == NodeType::kEnd) return n.id;
        return b_.AddNode(NodeType::kEnd, std::string(lx_.labels.end));
    }

    // Choices and conditions (and steps, when a pattern or an example is the frame) where they fit.
    void InsertElements() {
        std::vector<std::string> steps;
        for (const auto& e : in_.reading.elements) {
            if (e.kind == Kind::kStep) steps.push_back(Capitalize(e.text));
            if (e.kind == Kind::kCount && !count_done_) InsertChain(CountLabels(e), BeforeEnd());
            if (e.kind != Kind::kChoice && e.kind != Kind::kCondition) continue;
            std::string anchor = Anchor(e.text + " " + Join(e.options, " "));
            if (anchor.empty()) anchor = BeforeEnd();
            if (e.kind == Kind::kChoice && ExtendDecision(e)) continue;
            if (e.kind == Kind::kCondition && CoveredByDecision(e.text)) continue;
            auto outs = b_.Out(anchor);
            auto forward =
                std::find_if(outs.begin(), outs.end(), [](flows::Edge* x) { return x->trigger != Trigger::kBack; });
            std::string target = forward == outs.end() ? EndNode() : (*forward)->target;
            std::vector<Exit> from{
                {anchor, forward == outs.end() ? "" : (*forward)->label,
                 forward == outs.end() ? std::optional<Trigger>(Trigger::kClick) : (*forward)->trigger}};
            if (forward != outs.end()) b_.RemoveEdge((*forward)->id);
            auto exits = e.kind == Kind::kChoice ? AddChoice(e, from) : AddCondition(e, from, anchor);
            Connect(exits, target);
        }
        if (!steps.empty()) InsertChain(steps, BeforeEnd());
    }

    // The frame already asks it ("Supported file under 10 MB?" for "when the file is larger than 10 MB").
    bool CoveredByDecision(const std::string& condition) {
        for (const auto& n : b_.draft().nodes)
            if (n.type == NodeType::kDecision && Overlap(condition, n.label, stop_) >= 0.6) return true;
        return false;
    }

    // A decision of the frame whose branches name some of the alternatives gets the others as branches too.
    bool ExtendDecision(const Element& e) {
        std::string decision;
        flows::Edge sample;
        std::vector<std::string> missing;
        for (const auto& n : b_.draft().nodes) {
            if (n.type != NodeType::kDecision) continue;
            std::vector<std::string> absent;
            std::optional<flows::Edge> named_one;
            for (const auto& option : e.options) {
                bool named = false;
                for (auto* x : b_.Out(n.id))
                    if (Overlap(option, x->label + " " + b_.Find(x->target)->label, stop_) >= 0.99)
                        named = true, named_one = *x;
                if (!named) absent.push_back(option);
            }
            if (!named_one || absent.size() == e.options.size()) continue;
            decision = n.id, sample = *named_one, missing = std::move(absent);
            break;
        }
        if (decision.empty()) return false;
        // the new branches go on where the named one's next step leads
        auto onward = Copies(b_.Out(sample.target));
        std::string next = onward.empty() ? EndNode() : onward.front().target;
        for (const auto& option : missing) {
            auto id = b_.AddNode(NodeType::kScreen, Capitalize(option), {});
            b_.AddEdge(decision, id, Capitalize(option), sample.trigger);
            b_.AddEdge(id, next, onward.empty() ? "" : onward.front().label, Trigger::kSubmit);
        }
        return true;
    }

    // ---- the prompt's own steps

    void FromSteps() {
        const Reading& r = in_.reading;
        for (const auto& j : r.journeys)
            for (const auto* p : in_.find(j)) candidates_.push_back(p);
        std::string head = r.head.empty() ? std::string(lx_.labels.start) : Capitalize(std::string(TrimText(r.head)));
        if (Words(head).size() > 12) {
            auto first = std::string(TrimText(head.substr(0, head.find_first_of(",;."))));
            head = Words(first).size() <= 12 ? first : std::string(lx_.labels.start);
        }
        std::vector<Element> elements = r.elements;
        if (elements.empty()) {
            // one journey the library does not have: the steps every such task has, named by its words; what it
            // comes "with" is a step of its own ("cancelling a contract with a retention offer")
            std::string j = r.journeys.empty() ? head : Capitalize(r.journeys.front());
            std::vector<std::string> features;
            static const std::vector<std::string_view> kWith = {
                "with", "mit", "con", "avec", "including", "inklusive", "incluyendo", "y", "und", "and", "et"};
            std::string fj = Fold(j);
            std::size_t cut = std::string::npos, cut_len = 0;
            for (auto w : kWith)
                if (auto at = FindPhrase(fj, w); at != std::string::npos && at > 0 && at < cut)
                    cut = at, cut_len = w.size();
            if (cut != std::string::npos) {
                for (auto& f : SplitFeatures(j.substr(cut + cut_len))) features.push_back(f);
                j = std::string(TrimText(std::string_view(j).substr(0, cut)));
            }
            for (std::size_t i = 1; i < r.journeys.size(); ++i) features.push_back(r.journeys[i]);
            auto fill = [&](std::string_view t) {
                std::string label(t);
                label.replace(label.find("{x}"), 3, j);
                return label;
            };
            elements.push_back({Kind::kStep, fill(lx_.labels.details)});
            for (const auto& f : features) elements.push_back({Kind::kStep, Capitalize(f)});
            elements.push_back({Kind::kStep, fill(lx_.labels.review)});
            elements.push_back({Kind::kStep, fill(lx_.labels.confirm)});
            Element outcome{Kind::kCondition};
            outcome.text = fill(lx_.labels.failed);
            outcome.retry = true;
            elements.push_back(outcome);
        }
        auto start = b_.AddNode(NodeType::kStart, head, PatternSourceFor(head), "start");
        std::vector<Exit> exits{{start, "", Trigger::kClick}};
        std::string last_step = start;
        for (const auto& e : elements) {
            switch (e.kind) {
                case Kind::kStep: {
                    if (const auto* pattern = StrongPattern(e.text)) {
                        // a step that is a whole journey of the library ("then two-factor setup"): its steps
                        exits = Expand(*pattern, exits);
                        break;
                    }
                    std::string label = Capitalize(e.text);
                    auto id =
                        b_.AddNode(e.system ? NodeType::kAction : NodeType::kScreen, label, PatternSourceFor(label));
                    Connect(exits, id);
                    exits = {{id, "", e.system ? std::optional<Trigger>(Trigger::kSystem) : Trigger::kClick}};
                    last_step = id;
                    break;
                }
                case Kind::kChoice:
                    exits = AddChoice(e, exits);
                    last_step = b_.In(exits.front().node).front()->source;  // a retry goes back to the choice
                    break;
                case Kind::kCondition:
                    exits = AddCondition(e, exits, last_step);
                    break;
                case Kind::kCount: {
                    std::string prev;
                    for (const auto& label : CountLabels(e)) {
                        auto id = b_.AddNode(NodeType::kScreen, label, PatternSourceFor(label));
                        Connect(exits, id);
                        exits = {{id, std::string(lx_.labels.next), Trigger::kClick}};
                        if (!prev.empty()) b_.AddEdge(id, prev, std::string(lx_.labels.back), Trigger::kBack);
                        prev = id;
                        last_step = id;
                    }
                    break;
                }
            }
        }
        if (exits.size() == 1 && exits.front().node == start && elements.empty()) {
            auto id = b_.AddNode(NodeType::kScreen, head, PatternSourceFor(head));
            Connect(exits, id);
            exits = {{id, "", Trigger::kClick}};
        }
        // one end: an error path without a way back may have made it already
        bool has_end = std::any_of(b_.draft().nodes.begin(), b_.draft().nodes.end(),
                                   [](const flows::Node& n) { return n.type == NodeType::kEnd; });
        Connect(exits, has_end ? EndNode() : b_.AddNode(NodeType::kEnd, std::string(lx_.labels.end), {}, "done"));
    }

    // A pattern that names a step's journey outright (most of its words), not used yet.
    const knowledge::Pattern* StrongPattern(const std::string& text) {
        auto words = Words(text);
        std::size_t content = std::count_if(words.begin(), words.end(),
                                            [&](const std::string& w) { return w.size() > 2 && !IsOneOf(w, stop_); });
        if (content < 2) return nullptr;
        const knowledge::Pattern* best = nullptr;
        double best_score = 0.75;
        for (const auto* p : in_.find(text)) {
            if (std::find(expanded_.begin(), expanded_.end(), p) != expanded_.end()) continue;
            // by the pattern's name alone: a step such as "pick a time slot" is no journey of its own
            double s = 0;
            for (const std::string& l : {in_.locale, std::string("en")})
                s = std::max(s, Overlap(text, p->Text(l).name, stop_));
            if (s >= best_score) best = p, best_score = s;
        }
        if (best) expanded_.push_back(best);
        return best;
    }

    // The pattern's graph between `from` and what follows: its start's ways lead on from `from`, its ends become the
    // ways out.
    std::vector<Exit> Expand(const knowledge::Pattern& p, const std::vector<Exit>& from) {
        auto [start, ends] = Instantiate(p, Slug(p.id).substr(0, 12) + "_");
        for (const auto& e : Copies(b_.Out(start)))
            for (const auto& x : from) b_.AddEdge(x.node, e.target, x.label.empty() ? e.label : x.label, x.trigger);
        b_.RemoveNode(start);
        std::vector<Exit> exits;
        for (const auto& end : ends) {
            for (const auto* e : b_.In(end)) exits.push_back({e->source, e->label, e->trigger});
            b_.RemoveNode(end);
        }
        return exits;
    }

    // "a retention offer and a survey" -> its parts, without articles.
    std::vector<std::string> SplitFeatures(std::string_view text) {
        std::vector<std::string> out;
        std::string rest(text);
        for (auto sep : {",", " and ", " und ", " y ", " et ", " or "}) {
            std::size_t at;
            while ((at = Fold(rest).find(sep)) != std::string::npos) {
                std::string part(StripLeading(rest.substr(0, at), lx_.articles));
                if (!part.empty()) out.push_back(part);
                rest = rest.substr(at + std::string_view(sep).size());
            }
        }
        std::string last(StripLeading(rest, lx_.articles));
        if (!last.empty()) out.push_back(last);
        return out;
    }

    void Connect(const std::vector<Exit>& exits, const std::string& target) {
        for (const auto& x : exits) b_.AddEdge(x.node, target, x.label, x.trigger);
    }

    std::vector<Exit> AddChoice(const Element& e, const std::vector<Exit>& from) {
        std::string label = (e.text.empty() ? std::string(lx_.labels.choose) : Capitalize(e.text)) + ": " +
                            Join(e.options, " / ") + "?";
        auto decision = b_.AddNode(NodeType::kDecision, label, PatternSourceFor(label));
        Connect(from, decision);
        std::vector<Exit> exits;
        for (const auto& option : e.options) {
            std::string text = e.text.empty() ? Capitalize(option) : Capitalize(e.text + " " + option);
            auto id = b_.AddNode(NodeType::kScreen, text, PatternSourceFor(text));
            b_.AddEdge(decision, id, Capitalize(option), Trigger::kClick);
            exits.push_back({id, "", Trigger::kSubmit});
        }
        return exits;
    }

    // A condition: a decision whose "yes" shows the error (and leads back to `retry_to` when the person may try
    // again, else to the end), and whose "no" goes on.
    std::vector<Exit> AddCondition(const Element& e, const std::vector<Exit>& from, const std::string& retry_to) {
        std::string cond = std::string(StripLeading(e.text, lx_.articles));
        std::string label = Capitalize(cond) + "?";
        auto decision = b_.AddNode(NodeType::kDecision, label, PatternSourceFor(label));
        Connect(from, decision);
        std::string error_label = std::string(lx_.labels.error) + ": " + cond;
        if (e.retry) error_label += " – " + Fold(lx_.labels.try_again);
        auto error = b_.AddNode(NodeType::kScreen, error_label, PatternSourceFor(error_label));
        b_.AddEdge(decision, error, std::string(lx_.labels.yes), Trigger::kAuto);
        const flows::Node* back = b_.Find(retry_to);
        if (e.retry && back && back->type != NodeType::kStart)
            b_.AddEdge(error, retry_to, std::string(lx_.labels.try_again), Trigger::kClick);
        else
            b_.AddEdge(error, EndNode(), std::string(lx_.labels.end), Trigger::kClick);
        return {{decision, std::string(lx_.labels.no), Trigger::kAuto}};
    }

    std::string Name(const std::vector<const knowledge::Pattern*>& patterns) {
        const Reading& r = in_.reading;
        std::string name;
        if (!r.head.empty() && Words(r.head).size() <= 12)
            name = Capitalize(std::string(TrimText(r.head)));
        else if (!patterns.empty())
            name = patterns.front()->Text(in_.locale).name + (r.domain.empty() ? "" : " (" + r.domain + ")");
        else
            name = Capitalize(std::string(TrimText(in_.prompt)));
        if (TrimText(name).empty()) name = "Flow";
        name = Clip(std::move(name), 100);
        return name;
    }

    const ComposeInput& in_;
    const Lexicon& lx_;
    std::vector<std::string_view> stop_;
    GraphBuilder b_;
    std::vector<const knowledge::Pattern*> candidates_;
    std::vector<std::string> unmatched_;               ///< journeys no pattern fits
    std::vector<const knowledge::Pattern*> expanded_;  ///< patterns a step brought in
    double relevance_ = 1;                             ///< how well the least fitting pattern used fits its journey
    bool count_done_ = false;
};

}  // namespace

namespace {

// A pattern's words in one locale, read once: its name and tags, and those with its description.
struct PatternWords {
    std::vector<std::string> name, all;
};

const PatternWords& WordsOf(const knowledge::Pattern& pattern, const std::string& locale) {
    static std::mutex mu;
    static std::map<std::pair<const knowledge::Pattern*, std::string>, PatternWords> cache;
    std::lock_guard lock(mu);
    auto [it, added] = cache.try_emplace({&pattern, locale});
    if (added) {
        const auto& t = pattern.Text(locale);
        std::string text = t.name;
        for (const auto& tag : pattern.tags) text += " " + tag;
        it->second.name = Words(text);
        it->second.all = Words(text + " " + t.description);
    }
    return it->second;
}

}  // namespace

double Relevance(const knowledge::Pattern& pattern, const std::string& journey, const std::string& locale) {
    auto words = ContentWords(journey, StopWords(LexiconFor(locale)));
    double best = 0;
    for (const std::string& l : {locale, std::string("en")}) {
        const PatternWords& p = WordsOf(pattern, l);
        best = std::max({best, Overlap(words, p.name), 0.8 * Overlap(words, p.all)});
    }
    return best;
}

flows::FlowDraft Compose(const ComposeInput& in) { return Composer(in).Run(); }

}  // namespace uxf::ai::planner
