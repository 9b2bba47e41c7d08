#pragma once
#include <string>

namespace uxf {

/// Who is asking and from where: passed by the gateway into every service call, so services can audit,
/// rate-limit and tag events with the request's correlation id without knowing HTTP.
struct RequestMeta {
    std::string request_id;  ///< correlation id, echoed in X-Request-Id and carried by events
    std::string ip;
    std::string user_agent;
    std::string user_id;  ///< empty when unauthenticated
};

}  // namespace uxf
