// Identity types as wire JSON.
#pragma once
#include <boost/json/value.hpp>

#include "uxf/identity/types.hpp"

namespace uxf::gateway {

boost::json::value ToJson(const identity::User& u);
boost::json::value ToJson(const identity::Workspace& w);
boost::json::value ToJson(const identity::Member& m);
boost::json::value ToJson(const identity::Session& s);
boost::json::value ToJson(const identity::AuditEntry& e);
boost::json::value ToJson(const identity::AuthResult& r);
boost::json::value ToJson(const identity::TokenPair& t);

template <class T>
boost::json::value PageJson(const identity::Page<T>& page) {
    boost::json::array items;
    for (const auto& item : page.items) items.push_back(ToJson(item));
    boost::json::object out{{"items", std::move(items)}};
    out["next_cursor"] = page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
    return out;
}

}  // namespace uxf::gateway
