// Knowledge on the wire: documents and search hits.
#pragma once
#include <string>
#include <vector>

#include "uxf/knowledge/knowledge_service.hpp"

namespace uxf::gateway {

std::string DocumentJson(const knowledge::Document& d);
std::string SearchHitsJson(const std::vector<knowledge::SearchHit>& hits);

}  // namespace uxf::gateway
