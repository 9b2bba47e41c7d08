// Identity types as wire JSON.
#pragma once
#include <boost/json/value.hpp>

#include "uxf/identity/types.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {

boost::json::value ToJson(const identity::User& u);
boost::json::value ToJson(const identity::Workspace& w);
boost::json::value ToJson(const identity::Member& m);
boost::json::value ToJson(const identity::Session& s);
boost::json::value ToJson(const identity::AuditEntry& e);
boost::json::value ToJson(const identity::AuthResult& r);
boost::json::value ToJson(const identity::TokenPair& t);

/// One identity item as JSON text, for ListResponse and PageResponse.
inline constexpr auto kItemJson = [](const auto& item) { return json_text::Write(ToJson(item)); };

}  // namespace uxf::gateway
