#include "uxf/flows/document_reader.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "checks.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::flows {
namespace {

namespace json = boost::json;

// True when every number in `v` is finite (the parser's depth limit bounds the recursion).
bool AllFinite(const json::value& v) {
    if (v.is_double()) return std::isfinite(v.get_double());
    if (const auto* a = v.if_array()) return std::all_of(a->begin(), a->end(), AllFinite);
    if (const auto* o = v.if_object())
        return std::all_of(o->begin(), o->end(), [](const auto& kv) { return AllFinite(kv.value()); });
    return true;
}

const json::value* Present(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

constexpr std::size_t kMaxIdChars = 64;

}  // namespace

std::optional<std::string> DocumentReader::Str(const json::object& o, std::string_view key, const Path& at,
                                               bool required, std::size_t max_chars, TextKind kind) {
    auto* v = Present(o, key);
    if (!v) {
        if (required) Add(Path(at, key), "is required");
        return std::nullopt;
    }
    if (!v->is_string()) {
        Add(Path(at, key), "must be a string");
        return std::nullopt;
    }
    std::string_view s = v->get_string();
    if (!Text(Path(at, key), s, max_chars, kind)) return std::nullopt;
    return std::string(s);
}

std::optional<std::string> DocumentReader::IdOf(const json::object& o, const Path& at, bool required) {
    auto id = Str(o, "id", at, required, kMaxIdChars);
    if (id && !IsValidElementId(*id)) {
        Add(Path(at, "id"), "may hold only letters, digits and _-.:");
        return std::nullopt;
    }
    return id;
}

std::optional<NodeType> DocumentReader::TypeOf(const json::object& o, const Path& at, bool required) {
    auto type = Str(o, "type", at, required, 32);
    if (!type) return std::nullopt;
    auto t = ParseNodeType(*type);
    if (!t) Add(Path(at, "type"), "must be one of start, screen, decision, action, end, note, subflow");
    return t;
}

std::optional<Trigger> DocumentReader::TriggerOf(const json::object& o, const Path& at) {
    auto trigger = Str(o, "trigger", at, false, 32);
    if (!trigger) return std::nullopt;
    auto t = ParseTrigger(*trigger);
    if (!t) Add(Path(at, "trigger"), "must be one of click, submit, auto, back, timeout, system");
    return t;
}

std::optional<std::string> DocumentReader::DataOf(const json::object& o, const Path& at) {
    auto* d = Present(o, "data");
    if (!d) return std::nullopt;
    if (!d->is_object()) {
        Add(Path(at, "data"), "must be an object");
        return std::nullopt;
    }
    if (!AllFinite(*d)) {
        // Boost.JSON reads 1e999 as infinity and writes it back as text no parser reads (found by
        // fuzz/flow_document: the stored snapshot and the export failed to parse).
        Add(Path(at, "data"), "numbers must be finite (within ±1.7976931348623157e308)");
        return std::nullopt;
    }
    std::string text = json_text::Write(*d);
    if (text.size() > limits_.max_data_bytes)
        Limit(Path(at, "data"), fmt::format("at most {} bytes of data per node", limits_.max_data_bytes));
    return text;
}

std::optional<Position> DocumentReader::PositionOf(const json::object& o, const Path& at) {
    auto* p = Present(o, "position");
    if (!p) return std::nullopt;
    const auto* po = p->if_object();
    const auto* x = po ? po->if_contains("x") : nullptr;
    const auto* y = po ? po->if_contains("y") : nullptr;
    if (!x || !y || !x->is_number() || !y->is_number()) {
        Add(Path(at, "position"), "must be {\"x\": number, \"y\": number}");
        return std::nullopt;
    }
    Position pos{x->to_number<double>(), y->to_number<double>()};
    if (auto problem = PositionProblem(pos)) {
        Add(Path(at, "position"), *problem);
        return std::nullopt;
    }
    return pos;
}

std::optional<Node> DocumentReader::ReadNode(const json::value& v, const Path& at) {
    const auto* o = v.if_object();
    if (!o) {
        Add(at, "must be an object");
        return std::nullopt;
    }
    Node n;
    n.id = IdOf(*o, at, false).value_or("");
    if (auto t = TypeOf(*o, at, true)) n.type = *t;
    n.label = Str(*o, "label", at, false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
    if (auto d = DataOf(*o, at)) n.data = std::move(*d);
    n.position = PositionOf(*o, at);
    return n;
}

std::optional<Edge> DocumentReader::ReadEdge(const json::value& v, const Path& at) {
    const auto* o = v.if_object();
    if (!o) {
        Add(at, "must be an object");
        return std::nullopt;
    }
    Edge e;
    e.id = IdOf(*o, at, false).value_or("");
    e.source = Str(*o, "source", at, true, kMaxIdChars).value_or("");
    e.target = Str(*o, "target", at, true, kMaxIdChars).value_or("");
    e.label = Str(*o, "label", at, false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
    e.trigger = TriggerOf(*o, at);
    e.condition = Str(*o, "condition", at, false, limits_.max_label_chars, TextKind::kMultiline);
    return e;
}

FlowDraft DocumentReader::ReadDraft(const json::object& o, const Path& at) {
    FlowDraft draft;
    auto name = Str(o, "name", at, true, limits_.max_name_chars);
    if (name && Trim(*name).empty()) Add(Path(at, "name"), "must not be empty");
    draft.name = name.value_or("");
    draft.description =
        Str(o, "description", at, false, limits_.max_description_chars, TextKind::kMultiline).value_or("");
    auto read_array = [&](std::string_view key, auto read_one, auto& out) {
        auto* v = Present(o, key);
        if (!v) return;
        Path list(at, key);
        if (!v->is_array()) {
            Add(list, "must be an array");
            return;
        }
        const auto& arr = v->get_array();
        out.reserve(arr.size());
        for (std::size_t i = 0; i < arr.size(); ++i)
            if (auto item = read_one(arr[i], Path(list, i))) out.push_back(std::move(*item));
    };
    read_array(
        "nodes", [&](const json::value& v, const Path& p) { return ReadNode(v, p); }, draft.nodes);
    read_array(
        "edges", [&](const json::value& v, const Path& p) { return ReadEdge(v, p); }, draft.edges);
    CheckLimits(draft, *this, at);
    if (empty()) {
        AssignMissingIds(draft);
        CheckStructure(draft, *this, at);
    }
    return draft;
}

}  // namespace uxf::flows
