// Writes the Mermaid export of generated flows into a folder, for tests/e2e/check-mermaid.sh.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "uxf/flows/export.hpp"
#include "uxf/flows/testing/random_flows.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: mermaid_samples <folder> <count>\n";
        return 2;
    }
    std::filesystem::create_directories(argv[1]);
    std::mt19937 rng(4242);
    int count = std::stoi(argv[2]);
    for (int i = 0; i < count; ++i) {
        auto flow = uxf::flows::testing::RandomFlow(rng, false);
        std::ofstream(std::filesystem::path(argv[1]) / ("flow" + std::to_string(i) + ".mmd"))
            << uxf::flows::ToMermaid(flow);
    }
    return 0;
}
