#include <charconv>

#include <boost/json.hpp>

#include "../json_io.hpp"
#include "patterns.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/knowledge/knowledge_service.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {
namespace {

namespace json = boost::json;

json::array Strings(const std::vector<std::string>& v) {
    json::array out;
    for (const auto& s : v) out.emplace_back(s);
    return out;
}

std::string PatternJson(const knowledge::Pattern& p, const std::string& locale, const flows::FlowDraft& d) {
    json::array nodes, edges, locales;
    for (const auto& n : d.nodes)
        nodes.push_back(json::object{{"id", n.id}, {"type", flows::NodeTypeName(n.type)}, {"label", n.label}});
    for (const auto& e : d.edges) {
        json::object o{{"id", e.id}, {"source", e.source}, {"target", e.target}, {"label", e.label}};
        o["trigger"] = e.trigger ? json::value(flows::TriggerName(*e.trigger)) : json::value(nullptr);
        o["condition"] = e.condition ? json::value(*e.condition) : json::value(nullptr);
        edges.push_back(std::move(o));
    }
    for (const auto& [l, text] : p.locales) locales.emplace_back(l);
    return json_text::Write(
        json::object{{"id", p.id},
                     {"locale", locale},
                     {"name", d.name},
                     {"description", d.description},
                     {"tags", Strings(p.tags)},
                     {"locales", std::move(locales)},
                     {"flow", json::object{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}}}});
}

}  // namespace

void AddPatternRoutes(Router& r, knowledge::KnowledgeService& svc) {
    r.Add("GET", "/v1/patterns", {}, [&svc](Ctx& ctx) {
        auto locale = PatternLocale(ctx.req.Query("locale"));
        if (!locale.ok()) return ctx.Fail(locale.error());
        std::string k = ctx.req.Query("k", "10");
        std::size_t n = 0;
        auto [p, ec] = std::from_chars(k.data(), k.data() + k.size(), n);
        if (ec != std::errc() || p != k.data() + k.size())
            return ctx.Fail(Error::Invalid("bad search", {{"k", "must be a positive integer"}}));
        auto hits = svc.SearchPatterns(ctx.req.Query("q"), n, *locale);
        if (!hits.ok()) return ctx.Fail(hits.error());
        json::array list;
        for (const auto& h : *hits)
            list.push_back(json::object{{"id", h.id},
                                        {"name", h.name},
                                        {"description", h.description},
                                        {"tags", Strings(h.tags)},
                                        {"score", h.score}});
        return JsonResponse(200, json::object{{"hits", std::move(list)}});
    });
    r.Add("GET", "/v1/patterns/{id}", {}, [](Ctx& ctx) {
        auto locale = PatternLocale(ctx.req.Query("locale"));
        if (!locale.ok()) return ctx.Fail(locale.error());
        const knowledge::Pattern* p = knowledge::FindPattern(ctx.Param("id"));
        if (!p) return ctx.Fail(Error::NotFound("pattern"));
        auto draft = DraftFromPattern(*p, *locale);
        if (!draft.ok()) return ctx.Fail(draft.error());
        return Response{200, "application/json", PatternJson(*p, *locale, *draft), {}};
    });
}

}  // namespace uxf::gateway
