#include "uxf/gateway/router.hpp"

#include <algorithm>

namespace uxf::gateway {
namespace {

std::vector<std::string> Split(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= path.size()) {
        auto slash = path.find('/', i);
        if (slash == std::string::npos) slash = path.size();
        out.push_back(path.substr(i, slash - i));
        i = slash + 1;
    }
    return out;
}

bool IsParam(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

// Fills `params` when the route's segments match; counts literal matches to prefer specific routes.
bool MatchSegments(const Route& r, const std::vector<std::string>& segs, std::map<std::string, std::string>& params,
                   int& literals) {
    if (r.segments.size() != segs.size()) return false;
    literals = 0;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        if (IsParam(r.segments[i])) {
            if (segs[i].empty()) return false;
            params[r.segments[i].substr(1, r.segments[i].size() - 2)] = segs[i];
        } else if (r.segments[i] == segs[i]) {
            ++literals;
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, RouteOptions options, Handler handler) {
    auto segs = Split(pattern);
    routes_.push_back({std::move(method), std::move(pattern), options, std::move(handler), std::move(segs)});
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
    auto segs = Split(path);
    Match best;
    int best_literals = -1;
    for (const auto& r : routes_) {
        std::map<std::string, std::string> params;
        int literals = 0;
        if (!MatchSegments(r, segs, params, literals)) continue;
        if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
            if (std::find(best.allowed.begin(), best.allowed.end(), r.method) == best.allowed.end())
                best.allowed.push_back(r.method);
            continue;
        }
        if (literals > best_literals) {
            best.route = &r;
            best.params = std::move(params);
            best_literals = literals;
        }
    }
    return best;
}

}  // namespace uxf::gateway
