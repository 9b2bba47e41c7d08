// Tests' random unit vectors: normally distributed components, scaled to length 1 (uniform on the sphere).
#pragma once
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace uxf::knowledge::testing {

inline std::vector<float> RandomUnit(std::mt19937& rng, std::size_t dims) {
    std::normal_distribution<float> normal;
    std::vector<float> v(dims);
    double norm = 0;
    for (float& x : v) {
        x = normal(rng);
        norm += double(x) * x;
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
}

}  // namespace uxf::knowledge::testing
