#include <algorithm>

#include <fmt/format.h>

#include "uxf/platform/metrics.hpp"

namespace uxf::metrics {
namespace {

std::string RenderLabels(const Labels& labels) {
    std::string out;
    auto add = [&](std::string_view k, std::string_view v) {
        out += out.empty() ? "{" : ",";
        out += k;
        out += "=\"";
        for (char c : v) {
            if (c == '"' || c == '\\') out += '\\';
            if (c == '\n') {
                out += "\\n";
                continue;
            }
            out += c;
        }
        out += '"';
    };
    for (const auto& [k, v] : labels) add(k, v);
    if (!out.empty()) out += '}';
    return out;
}

// Inserts `le` into an already-rendered label set.
std::string WithLe(const std::string& labels, const std::string& le) {
    std::string pair = fmt::format("le=\"{}\"", le);
    if (labels.empty()) return "{" + pair + "}";
    return labels.substr(0, labels.size() - 1) + "," + pair + "}";
}

}  // namespace

std::vector<double> Registry::LatencyBuckets() {
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Registry::Series::Series(std::vector<double> b)
    : bounds(std::move(b)), bucket_counts(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size())) {}

void Registry::Counter::Inc(double by) const { s_->value.fetch_add(by, std::memory_order_relaxed); }

void Registry::Counter::Set(double value) const { s_->value.store(value, std::memory_order_relaxed); }

void Registry::Histogram::Observe(double value) const {
    for (std::size_t i = 0; i < s_->bounds.size(); ++i)
        if (value <= s_->bounds[i]) s_->bucket_counts[i].fetch_add(1, std::memory_order_relaxed);
    s_->sum.fetch_add(value, std::memory_order_relaxed);
    s_->count.fetch_add(1, std::memory_order_relaxed);
}

void Registry::Describe(std::string name, Kind kind, std::string help, std::vector<double> buckets) {
    std::lock_guard lock(mu_);
    auto& f = families_[name];
    f.kind = kind;
    f.help = std::move(help);
    f.buckets = std::move(buckets);
}

Registry::Family& Registry::FamilyFor(std::string_view name) {
    auto it = families_.find(name);
    if (it == families_.end()) it = families_.emplace(std::string(name), Family{}).first;
    return it->second;
}

Registry::Series& Registry::SeriesFor(std::string_view name, const Labels& labels) {
    std::lock_guard lock(mu_);
    auto& f = FamilyFor(name);
    return f.series.try_emplace(RenderLabels(labels), f.buckets).first->second;
}

Registry::Counter Registry::CounterOf(std::string_view name, const Labels& labels) {
    return Counter(&SeriesFor(name, labels));
}

Registry::Histogram Registry::HistogramOf(std::string_view name, const Labels& labels) {
    return Histogram(&SeriesFor(name, labels));
}

void Registry::Sample(std::string_view name, std::function<double()> read) {
    std::lock_guard lock(mu_);
    FamilyFor(name).sampler = std::move(read);
}

double Registry::Value(std::string_view name, const Labels& labels) const {
    std::lock_guard lock(mu_);
    auto it = families_.find(name);
    if (it == families_.end()) return 0;
    if (it->second.sampler) return it->second.sampler();
    auto s = it->second.series.find(RenderLabels(labels));
    return s == it->second.series.end() ? 0 : s->second.value.load(std::memory_order_relaxed);
}

std::string Registry::Render() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [name, f] : families_) {
        const char* type = f.kind == Kind::kCounter ? "counter" : f.kind == Kind::kGauge ? "gauge" : "histogram";
        if (!f.help.empty()) out += fmt::format("# HELP {} {}\n", name, f.help);
        out += fmt::format("# TYPE {} {}\n", name, type);
        if (f.sampler) out += fmt::format("{} {}\n", name, f.sampler());
        for (const auto& [labels, s] : f.series) {
            if (f.kind != Kind::kHistogram) {
                out += fmt::format("{}{} {}\n", name, labels, s.value.load(std::memory_order_relaxed));
                continue;
            }
            // Read the count first: observations that land meanwhile may show in a bucket but not yet in the count.
            std::uint64_t count = s.count.load(std::memory_order_relaxed);
            for (std::size_t i = 0; i < s.bounds.size(); ++i)
                out += fmt::format("{}_bucket{} {}\n", name, WithLe(labels, fmt::format("{}", s.bounds[i])),
                                   std::min(count, s.bucket_counts[i].load(std::memory_order_relaxed)));
            out += fmt::format("{}_bucket{} {}\n", name, WithLe(labels, "+Inf"), count);
            out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, labels, s.sum.load(std::memory_order_relaxed),
                               name, labels, count);
        }
    }
    return out;
}

}  // namespace uxf::metrics
