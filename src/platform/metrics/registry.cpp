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

void Registry::Inc(std::string_view name, const Labels& labels, double by) {
    std::lock_guard lock(mu_);
    IncLocked(name, labels, by);
}

void Registry::IncLocked(std::string_view name, const Labels& labels, double by) {
    FamilyFor(name).series[RenderLabels(labels)].value += by;
}

void Registry::IncAndObserve(std::string_view counter, const Labels& counter_labels, std::string_view histogram,
                             const Labels& histogram_labels, double value) {
    std::lock_guard lock(mu_);
    IncLocked(counter, counter_labels, 1);
    ObserveLocked(histogram, histogram_labels, value);
}

void Registry::Sample(std::string_view name, std::function<double()> read) {
    std::lock_guard lock(mu_);
    FamilyFor(name).sampler = std::move(read);
}

void Registry::Set(std::string_view name, const Labels& labels, double value) {
    std::lock_guard lock(mu_);
    FamilyFor(name).series[RenderLabels(labels)].value = value;
}

void Registry::Observe(std::string_view name, const Labels& labels, double value) {
    std::lock_guard lock(mu_);
    ObserveLocked(name, labels, value);
}

void Registry::ObserveLocked(std::string_view name, const Labels& labels, double value) {
    auto& f = FamilyFor(name);
    auto& s = f.series[RenderLabels(labels)];
    if (s.bucket_counts.size() != f.buckets.size()) s.bucket_counts.assign(f.buckets.size(), 0);
    for (std::size_t i = 0; i < f.buckets.size(); ++i)
        if (value <= f.buckets[i]) ++s.bucket_counts[i];
    s.sum += value;
    ++s.count;
}

double Registry::Value(std::string_view name, const Labels& labels) const {
    std::lock_guard lock(mu_);
    auto it = families_.find(name);
    if (it == families_.end()) return 0;
    if (it->second.sampler) return it->second.sampler();
    auto s = it->second.series.find(RenderLabels(labels));
    return s == it->second.series.end() ? 0 : s->second.value;
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
                out += fmt::format("{}{} {}\n", name, labels, s.value);
                continue;
            }
            for (std::size_t i = 0; i < f.buckets.size(); ++i)
                out += fmt::format("{}_bucket{} {}\n", name, WithLe(labels, fmt::format("{}", f.buckets[i])),
                                   i < s.bucket_counts.size() ? s.bucket_counts[i] : 0);
            out += fmt::format("{}_bucket{} {}\n", name, WithLe(labels, "+Inf"), s.count);
            out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, labels, s.sum, name, labels, s.count);
        }
    }
    return out;
}

}  // namespace uxf::metrics
