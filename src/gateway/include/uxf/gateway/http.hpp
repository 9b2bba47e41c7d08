#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uxf::gateway {

/// A parsed HTTP request, free of Beast types so routing and handlers compile without it.
struct Request {
    std::string method;  ///< upper case
    std::string target;  ///< path and query as received
    std::string path;    ///< decoded path without the query
    std::map<std::string, std::string> query;
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
    std::string body;
    std::string remote_ip;

    /// First value of a header (name case-insensitive), or empty.
    std::string_view Header(std::string_view name) const;
    std::string Query(const std::string& name, std::string fallback = {}) const {
        auto it = query.find(name);
        return it == query.end() ? std::move(fallback) : it->second;
    }
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    /// Bytes shared with a cache (an immutable encoded document), sent instead of `body` without being copied.
    std::shared_ptr<const std::string> shared_body;

    std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }

    void SetHeader(std::string name, std::string value);
    std::string_view Header(std::string_view name) const;
};

/// Splits `target` into path and query parameters, percent-decoding both. False when malformed.
bool ParseTarget(std::string_view target, std::string& path, std::map<std::string, std::string>& query);

}  // namespace uxf::gateway
