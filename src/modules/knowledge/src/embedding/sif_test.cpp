#include "sif.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace uxf::knowledge::embedding {
namespace {

double Dot(std::span<const float> a, std::span<const float> b) {
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) d += static_cast<double>(a[i]) * b[i];
    return d;
}

// Top eigenvector of a symmetric matrix by power iteration (the test's own, to check the closed form against).
std::vector<double> TopEigenvector(const std::vector<double>& m, std::size_t dims) {
    std::vector<double> u(dims, 1), next(dims);
    for (int it = 0; it < 5000; ++it) {
        double len = 0;
        for (std::size_t i = 0; i < dims; ++i) {
            next[i] = 0;
            for (std::size_t j = 0; j < dims; ++j) next[i] += m[i * dims + j] * u[j];
            len += next[i] * next[i];
        }
        for (std::size_t i = 0; i < dims; ++i) u[i] = next[i] / std::sqrt(len);
    }
    return u;
}

TEST(Sif, ZipfProbabilitiesFollowTheRankAndSumToOne) {
    Zipf zipf(1000);
    double total = 0;
    for (std::size_t r = 1; r <= 1000; ++r) total += zipf(r);
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_NEAR(zipf(1) / zipf(2), 2.0, 1e-12);
    EXPECT_NEAR(zipf(10) / zipf(1000), 100.0, 1e-9);
    EXPECT_NEAR(zipf(1), 1 / HarmonicNumber(1000), 1e-15);
    EXPECT_NEAR(HarmonicNumber(4), 1 + 0.5 + 1.0 / 3 + 0.25, 1e-15);
    EXPECT_THROW(zipf(0), std::invalid_argument);
    EXPECT_THROW(zipf(1001), std::invalid_argument);
}

TEST(Sif, WeightIsSmoothInverseFrequency) {
    EXPECT_DOUBLE_EQ(SifWeight(1e-3, 1e-3), 0.5);
    EXPECT_DOUBLE_EQ(SifWeight(1e-3, 0), 1.0);
    EXPECT_NEAR(SifWeight(1e-3, 0.05), 1e-3 / 0.051, 1e-15);
    // With the real vocabulary's size, "the" (rank 1) counts about 1/70 of a word of rank 10,000.
    Zipf zipf(341'479);
    EXPECT_LT(SifWeight(kSifA, zipf(1)), 0.02);
    EXPECT_GT(SifWeight(kSifA, zipf(10'000)), 0.99);
}

// The closed form equals the first principal component of every n-word sentence of a small vocabulary, each
// weighted by its probability, found by enumerating them.
TEST(Sif, CommonComponentIsThePrincipalComponentOfRandomSentences) {
    const std::size_t dims = 3, rows = 4;
    const std::vector<float> s = {2.0f, 0.5f, 0.1f, 1.5f, -0.3f, 0.4f, 0.2f, 1.0f, -0.8f, 0.9f, 0.1f, 1.2f};
    const std::vector<double> p = {0.4, 0.3, 0.2, 0.1};
    for (int n : {1, 2, 3}) {
        std::vector<double> m(dims * dims, 0);
        std::vector<std::size_t> idx(n, 0);
        for (;;) {  // every sentence of n words (with order), probability prod p, vector the mean of its words
            double prob = 1;
            std::vector<double> x(dims, 0);
            for (std::size_t w : idx) {
                prob *= p[w];
                for (std::size_t d = 0; d < dims; ++d) x[d] += s[w * dims + d] / n;
            }
            for (std::size_t i = 0; i < dims; ++i)
                for (std::size_t j = 0; j < dims; ++j) m[i * dims + j] += prob * x[i] * x[j];
            int k = 0;
            while (k < n && ++idx[k] == rows) idx[k++] = 0;
            if (k == n) break;
        }
        auto expected = TopEigenvector(m, dims);
        auto u = CommonComponent(s, p, dims, n);
        double dot = 0, len = 0;
        for (std::size_t d = 0; d < dims; ++d) {
            dot += u[d] * expected[d];
            len += static_cast<double>(u[d]) * u[d];
        }
        EXPECT_NEAR(len, 1.0, 1e-6) << n;
        EXPECT_NEAR(std::fabs(dot), 1.0, 1e-6) << n;
        // Its sign points the way of the mean word.
        double mean_dot = 0;
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t d = 0; d < dims; ++d) mean_dot += p[r] * s[r * dims + d] * u[d];
        EXPECT_GT(mean_dot, 0) << n;
    }
}

TEST(Sif, CommonComponentFindsTheDirectionFrequentWordsShare) {
    // Every word leans along (1, 1, 0, 0)/sqrt(2), plus its own direction.
    const std::size_t dims = 4;
    const std::vector<float> s = {3, 3, 0.5f, 0, 2.5f, 2.5f, 0, -0.5f, 2, 2, -0.5f, 0, 2, 2, 0, 0.5f};
    const std::vector<double> p = {0.25, 0.25, 0.25, 0.25};
    auto u = CommonComponent(s, p, dims, kReferenceSentenceWords);
    EXPECT_NEAR(u[0], std::sqrt(0.5), 1e-3);
    EXPECT_NEAR(u[1], std::sqrt(0.5), 1e-3);
    EXPECT_THROW(CommonComponent(s, std::vector<double>{0.5, 0.5}, dims, 10), std::invalid_argument);
}

TEST(Sif, RemovingTheComponentLeavesAUnitVectorOrthogonalToIt) {
    const std::vector<float> u = {0.6f, 0.8f, 0, 0};
    std::vector<float> v = {3, 1, 2, -1};
    RemoveComponentAndNormalise(v, u);
    EXPECT_NEAR(Dot(v, u), 0, 1e-6);
    EXPECT_NEAR(Dot(v, v), 1, 1e-6);
    // (3, 1) minus its projection on (0.6, 0.8), 2.6, is (1.44, -1.08); with (2, -1) after it, normalised.
    const double len = std::sqrt(1.44 * 1.44 + 1.08 * 1.08 + 4 + 1);
    EXPECT_NEAR(v[0], 1.44 / len, 1e-6);
    EXPECT_NEAR(v[1], -1.08 / len, 1e-6);
    EXPECT_NEAR(v[2], 2 / len, 1e-6);

    std::vector<float> zero = {0, 0, 0, 0};
    RemoveComponentAndNormalise(zero, u);
    EXPECT_EQ(zero, (std::vector<float>{0, 0, 0, 0}));
    std::vector<float> along = {1.2f, 1.6f, 0, 0};  // only the common component: nothing left
    RemoveComponentAndNormalise(along, u);
    EXPECT_EQ(along, (std::vector<float>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace uxf::knowledge::embedding
