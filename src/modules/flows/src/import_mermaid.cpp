#include <map>
#include <set>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"
#include "uxf/flows/export.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"

namespace uxf::flows {
namespace {

struct Shape {
    std::string_view open, close;
    NodeType type;
    bool terminal;  ///< start or end, decided by the edges
};

// Longest openings first, so "([" wins over "(".
constexpr Shape kShapes[] = {
    {"([", "])", NodeType::kStart, true},     {"((", "))", NodeType::kStart, true},
    {"[[", "]]", NodeType::kSubflow, false},  {"[/", "/]", NodeType::kAction, false},
    {"[\\", "\\]", NodeType::kAction, false}, {"{{", "}}", NodeType::kAction, false},
    {"[", "]", NodeType::kScreen, false},     {"(", ")", NodeType::kAction, false},
    {"{", "}", NodeType::kDecision, false},   {">", "]", NodeType::kNote, false},
};

// Mermaid's entities and line breaks, decoded in one pass: decoding entity by entity over the whole text turned
// `#35;amp;` (our export of a typed `#amp;`) into `#amp;` and then into `&` (found by fuzz/flow_document).
std::string DecodeText(std::string_view s) {
    static constexpr std::pair<std::string_view, std::string_view> kCodes[] = {
        {"<br>", "\n"}, {"<br/>", "\n"}, {"#quot;", "\""}, {"#124;", "|"},
        {"#35;", "#"},  {"#lt;", "<"},   {"#gt;", ">"},    {"#amp;", "&"}};
    s = Trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool decoded = false;
        for (auto [from, to] : kCodes)
            if (s.substr(i).starts_with(from)) {
                out += to;
                i += from.size();
                decoded = true;
                break;
            }
        if (!decoded) out += s[i++];
    }
    return out;
}

bool IdChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct Parsed {
    std::string id;
    std::optional<std::string> label;
    const Shape* shape = nullptr;
};

class Parser {
  public:
    explicit Parser(const FlowSettings& limits) : limits_(limits) {}

    Result<FlowDraft> Run(std::string_view text) {
        std::size_t line_no = 0;
        bool header = false;
        while (!text.empty()) {
            auto nl = text.find('\n');
            std::string_view raw = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
            ++line_no;
            std::string line(Trim(raw));
            if (line.starts_with("%%")) {
                // The first comment before any statement names the flow (our export writes it there).
                if (statements_ == 0 && name_.empty()) name_ = DecodeText(line.substr(2));
                continue;
            }
            if (line.empty()) continue;
            if (!header) {
                std::string lower = ToLower(line);
                if (!lower.starts_with("flowchart") && !lower.starts_with("graph"))
                    return Fail(line_no, "a Mermaid flowchart starts with `flowchart LR` or `graph TD`");
                header = true;
                continue;
            }
            // Statements may be separated by ';' outside quotes (entities like #35; sit inside them).
            std::string stmt;
            bool quoted = false;
            for (std::size_t i = 0; i <= line.size(); ++i) {
                char c = i < line.size() ? line[i] : ';';
                if (c == '"') quoted = !quoted;
                if (c == ';' && !quoted) {
                    std::string one(Trim(stmt));
                    stmt.clear();
                    if (one.empty()) continue;
                    ++statements_;
                    if (auto err = Statement(one); !err.empty()) return Fail(line_no, err);
                } else {
                    stmt += c;
                }
            }
        }
        if (!header) return Fail(line_no, "empty Mermaid text");
        return Finish();
    }

  private:
    Error Fail(std::size_t line, const std::string& message) const {
        return Error::Invalid("the Mermaid text cannot be imported", {{fmt::format("content:{}", line), message}});
    }

    // The statement starts with keyword `word` (then a space or nothing): a node id like `subgraph__1` or `classA`
    // merely starts with the letters.
    static bool Keyword(const std::string& lower, std::string_view word) {
        return lower.starts_with(word) &&
               (lower.size() == word.size() || std::isspace(static_cast<unsigned char>(lower[word.size()])));
    }

    std::string Statement(const std::string& s) {
        std::string lower = ToLower(s);
        if (Keyword(lower, "classdef") || Keyword(lower, "style") || Keyword(lower, "linkstyle") ||
            Keyword(lower, "click") || Keyword(lower, "direction"))
            return {};
        if (Keyword(lower, "class")) {
            std::string parts(Trim(std::string_view(s).substr(5)));  // a bare `class` is a statement too
            auto space = parts.find_last_of(" \t");
            if (space == std::string::npos) return "class needs node ids and a class name";
            std::string_view cls = Trim(std::string_view(parts).substr(space + 1));
            if (cls.starts_with("uxf_")) cls.remove_prefix(4);  // our export's class names
            auto type = ParseNodeType(cls);
            std::string ids = parts.substr(0, space);
            std::size_t p = 0;
            while (p <= ids.size()) {
                auto comma = ids.find(',', p);
                std::string id(
                    Trim(std::string_view(ids).substr(p, comma == std::string::npos ? std::string::npos : comma - p)));
                if (type && !id.empty()) class_types_[UnsafeId(id)] = *type;
                p = comma == std::string::npos ? ids.size() + 1 : comma + 1;
            }
            return {};
        }
        if (Keyword(lower, "subgraph")) {
            std::string title(Trim(s.substr(8)));
            auto bracket = title.find('[');
            if (bracket != std::string::npos && title.back() == ']')
                title = title.substr(bracket + 1, title.size() - bracket - 2);
            title = DecodeText(title);
            std::string id = "subgraph_" + std::to_string(++subgraphs_);
            order_.push_back(id);
            nodes_[id] = {id, NodeType::kNote, "Group: " + (title.empty() ? id : title)};
            return {};
        }
        if (lower == "end") return {};
        return Chain(s);
    }

    // NODES (EDGE NODES)*, where NODES = NODE (& NODE)*.
    std::string Chain(const std::string& s) {
        std::size_t pos = 0;
        std::vector<std::string> left;
        if (auto err = NodeGroup(s, pos, left); !err.empty()) return err;
        for (;;) {
            Skip(s, pos);
            if (pos >= s.size()) return {};
            std::string label;
            if (auto err = Arrow(s, pos, label); !err.empty()) return err;
            std::vector<std::string> right;
            if (auto err = NodeGroup(s, pos, right); !err.empty()) return err;
            for (const auto& a : left)
                for (const auto& b : right) edges_.push_back({"", a, b, label});
            left = std::move(right);
        }
    }

    static void Skip(const std::string& s, std::size_t& pos) {
        while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
    }

    std::string NodeGroup(const std::string& s, std::size_t& pos, std::vector<std::string>& out) {
        for (;;) {
            Skip(s, pos);
            std::size_t begin = pos;
            while (pos < s.size() && IdChar(s[pos])) ++pos;
            if (pos == begin) return fmt::format("expected a node id at column {}", pos + 1);
            Parsed p{UnsafeId(s.substr(begin, pos - begin)), std::nullopt, nullptr};
            for (const auto& shape : kShapes) {
                if (s.compare(pos, shape.open.size(), shape.open) != 0) continue;
                auto close = s.find(shape.close, pos + shape.open.size());
                // A quoted label may contain the closing characters.
                if (s.compare(pos + shape.open.size(), 1, "\"") == 0) {
                    auto quote = s.find('"', pos + shape.open.size() + 1);
                    if (quote != std::string::npos) close = s.find(shape.close, quote);
                }
                if (close == std::string::npos) return fmt::format("unclosed {} at column {}", shape.open, pos + 1);
                p.label = DecodeText(s.substr(pos + shape.open.size(), close - pos - shape.open.size()));
                p.shape = &shape;
                pos = close + shape.close.size();
                break;
            }
            Declare(p);
            out.push_back(p.id);
            Skip(s, pos);
            if (pos < s.size() && s[pos] == '&') {
                ++pos;
                continue;
            }
            return {};
        }
    }

    // -->, ---, -.->, ==>, --x, --o, with |label| after, or the `-- label -->` form.
    std::string Arrow(const std::string& s, std::size_t& pos, std::string& label) {
        auto is_arrow = [](char c) { return c == '-' || c == '.' || c == '=' || c == '>' || c == '<'; };
        std::size_t begin = pos;
        while (pos < s.size() && is_arrow(s[pos])) ++pos;
        if (pos < s.size() && (s[pos] == 'x' || s[pos] == 'o') && pos > begin &&
            (pos + 1 == s.size() || !IdChar(s[pos + 1])))
            ++pos;
        std::string arrow = s.substr(begin, pos - begin);
        if (arrow.size() < 2) return fmt::format("expected an arrow at column {}", begin + 1);
        bool open_form = arrow == "--" || arrow == "-." || arrow == "==";
        if (open_form) {
            // `-- text -->`: the text runs to the closing arrow.
            std::size_t end = std::string::npos, end_len = 0;
            for (std::string_view close : {"-->", ".->", "==>", "---", "-.-", "==="}) {
                auto p = s.find(close, pos);
                if (p != std::string::npos && p < end) {
                    end = p;
                    end_len = close.size();
                }
            }
            if (end == std::string::npos) return fmt::format("unfinished edge label at column {}", begin + 1);
            label = DecodeText(s.substr(pos, end - pos));
            pos = end + end_len;
            while (pos < s.size() && is_arrow(s[pos])) ++pos;
        }
        Skip(s, pos);
        if (pos < s.size() && s[pos] == '|') {
            std::size_t from = pos + 1;
            if (from < s.size() && s[from] == '"') {  // a quoted label may hold '|'
                auto quote = s.find('"', from + 1);
                if (quote != std::string::npos) from = quote;
            }
            auto close = s.find('|', from);
            if (close == std::string::npos) return fmt::format("unclosed |label| at column {}", pos + 1);
            label = DecodeText(s.substr(pos + 1, close - pos - 1));
            pos = close + 1;
        }
        return {};
    }

    void Declare(const Parsed& p) {
        auto [it, inserted] = nodes_.try_emplace(p.id, Node{p.id, NodeType::kScreen, p.id});
        if (inserted) order_.push_back(p.id);
        if (p.label) it->second.label = *p.label;
        if (p.shape) {
            it->second.type = p.shape->type;
            if (p.shape->terminal) terminals_.insert(p.id);
        }
    }

    Result<FlowDraft> Finish() {
        std::set<std::string> has_incoming;
        for (const auto& e : edges_) has_incoming.insert(e.target);
        FlowDraft d{name_.empty() ? "Imported flow" : name_, "", {}, edges_};
        for (const auto& id : order_) {
            Node n = nodes_.at(id);
            if (terminals_.contains(id)) n.type = has_incoming.contains(id) ? NodeType::kEnd : NodeType::kStart;
            if (auto it = class_types_.find(id); it != class_types_.end()) n.type = it->second;
            d.nodes.push_back(std::move(n));
        }
        for (std::size_t i = 0; i < d.edges.size(); ++i) d.edges[i].id = "e" + std::to_string(i + 1);
        if (auto ok = CheckDraft(d, limits_); !ok.ok()) return ok.error();
        return d;
    }

    const FlowSettings& limits_;
    std::string name_;
    std::vector<std::string> order_;
    std::map<std::string, Node> nodes_;
    std::set<std::string> terminals_;
    std::map<std::string, NodeType> class_types_;
    std::vector<Edge> edges_;
    int subgraphs_ = 0;
    int statements_ = 0;
};

}  // namespace

Result<FlowDraft> ParseMermaid(std::string_view text, const FlowSettings& limits) { return Parser(limits).Run(text); }

}  // namespace uxf::flows
