#include "sif.hpp"

#include <cmath>
#include <stdexcept>

namespace uxf::knowledge::embedding {

double HarmonicNumber(std::size_t n) {
    double h = 0;
    for (std::size_t k = n; k >= 1; --k) h += 1.0 / static_cast<double>(k);  // smallest terms first
    return h;
}

Zipf::Zipf(std::size_t vocabulary) : vocabulary_(vocabulary), harmonic_(HarmonicNumber(vocabulary)) {}

double Zipf::operator()(std::size_t rank) const {
    if (rank == 0 || rank > vocabulary_) throw std::invalid_argument("Zipf: rank outside the vocabulary");
    return 1.0 / (static_cast<double>(rank) * harmonic_);
}

double SifWeight(double a, double p) { return a / (a + p); }

std::vector<float> CommonComponent(std::span<const float> weighted, std::span<const double> p, std::size_t dims,
                                   double sentence_words) {
    const std::size_t rows = p.size();
    if (dims == 0 || weighted.size() != rows * dims || sentence_words < 1)
        throw std::invalid_argument("CommonComponent: inconsistent input");
    double total = 0;
    for (double x : p) total += x;
    if (!(total > 0)) throw std::invalid_argument("CommonComponent: no probability mass");

    std::vector<double> mu(dims, 0), m(dims * dims, 0);
    for (std::size_t r = 0; r < rows; ++r) {
        const double pr = p[r] / total;
        const float* s = weighted.data() + r * dims;
        for (std::size_t i = 0; i < dims; ++i) {
            mu[i] += pr * s[i];
            const double ps = pr * s[i];
            for (std::size_t j = i; j < dims; ++j) m[i * dims + j] += ps * s[j];
        }
    }
    const double n = sentence_words;
    for (std::size_t i = 0; i < dims; ++i)
        for (std::size_t j = i; j < dims; ++j) {
            double v = (1 - 1 / n) * mu[i] * mu[j] + m[i * dims + j] / n;
            m[i * dims + j] = v;
            m[j * dims + i] = v;
        }

    // Power iteration from mu (or the first axis when mu is zero) until the direction settles.
    std::vector<double> u(mu), next(dims);
    double norm = 0;
    for (double x : u) norm += x * x;
    if (norm == 0) u[0] = norm = 1;
    for (double& x : u) x /= std::sqrt(norm);
    for (int it = 0; it < 10000; ++it) {
        double len = 0;
        for (std::size_t i = 0; i < dims; ++i) {
            double acc = 0;
            for (std::size_t j = 0; j < dims; ++j) acc += m[i * dims + j] * u[j];
            next[i] = acc;
            len += acc * acc;
        }
        len = std::sqrt(len);
        if (len == 0) break;  // nothing to remove: every vector is zero
        double change = 0;
        for (std::size_t i = 0; i < dims; ++i) {
            next[i] /= len;
            change += (next[i] - u[i]) * (next[i] - u[i]);
        }
        u.swap(next);
        if (change < 1e-24) break;
    }
    double dot = 0;
    for (std::size_t i = 0; i < dims; ++i) dot += u[i] * mu[i];
    std::vector<float> out(dims);
    for (std::size_t i = 0; i < dims; ++i) out[i] = static_cast<float>(dot < 0 ? -u[i] : u[i]);
    return out;
}

void RemoveComponentAndNormalise(std::span<float> v, std::span<const float> u) {
    double before = 0, dot = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        before += static_cast<double>(v[i]) * v[i];
        dot += static_cast<double>(u[i]) * v[i];
    }
    double len = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        v[i] = static_cast<float>(v[i] - dot * u[i]);
        len += static_cast<double>(v[i]) * v[i];
    }
    // Zero, or only rounding noise left after removing the component: no direction to report.
    if (len == 0 || len <= 1e-12 * before) {
        for (float& x : v) x = 0;
        return;
    }
    const double inv = 1 / std::sqrt(len);
    for (float& x : v) x = static_cast<float>(x * inv);
}

}  // namespace uxf::knowledge::embedding
