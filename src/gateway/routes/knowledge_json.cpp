#include "knowledge_json.hpp"

#include <boost/json.hpp>

#include "uxf/core/clock.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {

namespace json = boost::json;

std::string DocumentJson(const knowledge::Document& d) {
    return json_text::Write(json::object{{"id", d.id},
                                         {"workspace_id", d.workspace_id},
                                         {"title", d.title},
                                         {"content_type", d.content_type},
                                         {"size_bytes", d.size_bytes},
                                         {"status", knowledge::StatusName(d.status)},
                                         {"error", d.error.empty() ? json::value(nullptr) : json::value(d.error)},
                                         {"chunk_count", d.chunk_count},
                                         {"created_at", FormatRfc3339(d.created_at)},
                                         {"updated_at", FormatRfc3339(d.updated_at)},
                                         {"created_by", d.created_by}});
}

std::string SearchHitsJson(const std::vector<knowledge::SearchHit>& hits) {
    json::array list;
    for (const auto& h : hits)
        list.push_back(json::object{{"document_id", h.document_id},
                                    {"chunk_id", h.chunk_id},
                                    {"title", h.title},
                                    {"heading", h.heading},
                                    {"text", h.text},
                                    {"snippet", h.snippet},
                                    {"score", h.score},
                                    {"language", h.language}});
    return json_text::Write(json::object{{"hits", std::move(list)}});
}

}  // namespace uxf::gateway
