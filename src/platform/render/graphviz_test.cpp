#include <gtest/gtest.h>

#include <thread>

#include "uxf/platform/graphviz.hpp"

namespace uxf::render {
namespace {

constexpr const char* kDot = R"(digraph G { rankdir=TB; a [label="Start"]; b [label="Ünïcode & <xml>"]; a -> b; })";

TEST(Graphviz, RendersSvgPngPdf) {
    Graphviz gv;
    auto svg = gv.Render(kDot, "svg");
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("Start"), std::string::npos);
    EXPECT_NE(svg.find("&amp;"), std::string::npos);
    auto png = gv.Render(kDot, "png");
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    auto pdf = gv.Render(kDot, "pdf");
    EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
    EXPECT_THROW(gv.Render("digraph { a -> ", "svg"), std::invalid_argument);
    EXPECT_THROW(gv.Render(kDot, "exe"), std::invalid_argument);
}

TEST(Graphviz, LayoutPutsSuccessorsBelowWithTopToBottomRanks) {
    Graphviz gv;
    auto pos = gv.Layout(kDot);
    ASSERT_EQ(pos.size(), 2u);
    EXPECT_LT(pos["a"].second, pos["b"].second);  // y grows downwards
}

// A second instance after the first is gone, as when a process starts the app twice (the integration tests).
// With a context per instance, Graphviz 2.42 read freed memory here (AddressSanitizer: heap-use-after-free).
TEST(Graphviz, ASecondInstanceAfterTheFirstIsGone) {
    {
        Graphviz first;
        EXPECT_EQ(first.Layout(kDot).size(), 2u);
    }
    Graphviz second;
    EXPECT_NE(second.Render(kDot, "svg").find("Start"), std::string::npos);
}

TEST(Graphviz, SafeFromManyThreads) {
    Graphviz gv;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 5; ++j) ok += gv.Render(kDot, "svg").find("<svg") != std::string::npos;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 20);
}

}  // namespace
}  // namespace uxf::render
