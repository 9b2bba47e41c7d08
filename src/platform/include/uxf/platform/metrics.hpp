#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uxf::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

/// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text exposition format.
/// A series, once created, lives as long as the registry: hot paths keep a handle to it (`CounterOf`,
/// `HistogramOf`) and update it with atomic operations, without a lock or a label lookup.
class Registry {
    struct Series;

  public:
    enum class Kind { kCounter, kGauge, kHistogram };

    /// A counter or gauge series.
    class Counter {
      public:
        void Inc(double by = 1) const;
        void Set(double value) const;

      private:
        friend class Registry;
        explicit Counter(Series* s) : s_(s) {}
        Series* s_;
    };
    /// A histogram series, with the buckets its family had when it was created.
    class Histogram {
      public:
        void Observe(double value) const;

      private:
        friend class Registry;
        explicit Histogram(Series* s) : s_(s) {}
        Series* s_;
    };

    /// Declares a family with its help text; histograms take bucket upper bounds (seconds for latencies). Declare a
    /// histogram before its first observation: a series keeps the buckets it was created with.
    void Describe(std::string name, Kind kind, std::string help, std::vector<double> buckets = {});
    Counter CounterOf(std::string_view name, const Labels& labels = {});
    Histogram HistogramOf(std::string_view name, const Labels& labels = {});

    void Inc(std::string_view name, const Labels& labels = {}, double by = 1) { CounterOf(name, labels).Inc(by); }
    void Set(std::string_view name, const Labels& labels, double value) { CounterOf(name, labels).Set(value); }
    void Observe(std::string_view name, const Labels& labels, double value) {
        HistogramOf(name, labels).Observe(value);
    }
    /// A gauge read when scraped (e.g. an atomic kept by its owner), so the hot path takes no lock for it.
    void Sample(std::string_view name, std::function<double()> read);
    /// Current value of a counter or gauge sample (0 when never touched); for tests and readiness logic.
    double Value(std::string_view name, const Labels& labels = {}) const;
    std::string Render() const;

    static std::vector<double> LatencyBuckets();

  private:
    struct Series {
        explicit Series(std::vector<double> bounds);
        std::atomic<double> value{0};
        std::vector<double> bounds;  ///< histogram bucket upper bounds
        std::unique_ptr<std::atomic<std::uint64_t>[]> bucket_counts;
        std::atomic<double> sum{0};
        std::atomic<std::uint64_t> count{0};
    };
    struct Family {
        Kind kind = Kind::kCounter;
        std::string help;
        std::vector<double> buckets;
        std::map<std::string, Series> series;  // key: rendered label set; nodes never move
        std::function<double()> sampler;       // for sampled gauges
    };
    Family& FamilyFor(std::string_view name);
    Series& SeriesFor(std::string_view name, const Labels& labels);
    mutable std::mutex mu_;
    std::map<std::string, Family, std::less<>> families_;
};

}  // namespace uxf::metrics
