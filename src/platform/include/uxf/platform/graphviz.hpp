#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace uxf::render {

/// Graphviz (libgvc) behind one lock: the library keeps global state and is not reentrant.
class Graphviz {
  public:
    Graphviz();
    ~Graphviz();
    Graphviz(const Graphviz&) = delete;
    Graphviz& operator=(const Graphviz&) = delete;

    /// Lays `dot` out with the `dot` engine and renders it: format `svg`, `png` or `pdf`.
    /// Throws std::invalid_argument for DOT that does not parse, std::runtime_error when rendering fails.
    std::string Render(std::string_view dot, std::string_view format);
    /// Node centres (points, origin top-left, y down) from the `dot` layout, by node name.
    std::map<std::string, std::pair<double, double>> Layout(std::string_view dot);

  private:
    struct Impl;
    Impl* impl_;
};

}  // namespace uxf::render
