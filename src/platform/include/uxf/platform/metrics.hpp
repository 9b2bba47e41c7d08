#pragma once
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uxf::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

/// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text exposition format.
class Registry {
  public:
    enum class Kind { kCounter, kGauge, kHistogram };
    /// Declares a family with its help text; histograms take bucket upper bounds (seconds for latencies).
    void Describe(std::string name, Kind kind, std::string help, std::vector<double> buckets = {});
    void Inc(std::string_view name, const Labels& labels = {}, double by = 1);
    void Set(std::string_view name, const Labels& labels, double value);
    void Observe(std::string_view name, const Labels& labels, double value);
    /// Inc(counter) and Observe(histogram) under one lock: what every request records.
    void IncAndObserve(std::string_view counter, const Labels& counter_labels, std::string_view histogram,
                       const Labels& histogram_labels, double value);
    /// A gauge read when scraped (e.g. an atomic kept by its owner), so the hot path takes no lock for it.
    void Sample(std::string_view name, std::function<double()> read);
    /// Current value of a counter or gauge sample (0 when never touched); for tests and readiness logic.
    double Value(std::string_view name, const Labels& labels = {}) const;
    std::string Render() const;

    static std::vector<double> LatencyBuckets();

  private:
    struct Series {
        double value = 0;
        std::vector<std::uint64_t> bucket_counts;
        double sum = 0;
        std::uint64_t count = 0;
    };
    struct Family {
        Kind kind = Kind::kCounter;
        std::string help;
        std::vector<double> buckets;
        std::map<std::string, Series> series;  // key: rendered label set
        std::function<double()> sampler;       // for sampled gauges
    };
    Family& FamilyFor(std::string_view name);
    void IncLocked(std::string_view name, const Labels& labels, double by);
    void ObserveLocked(std::string_view name, const Labels& labels, double value);
    mutable std::mutex mu_;
    std::map<std::string, Family, std::less<>> families_;
};

}  // namespace uxf::metrics
