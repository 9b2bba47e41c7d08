#include "uxf/platform/graphviz.hpp"

#include <graphviz/gvc.h>

#include <mutex>
#include <stdexcept>

namespace uxf::render {
namespace {

// Parses and lays out under the caller's lock; frees on scope exit.
class LaidOut {
  public:
    LaidOut(GVC_t* gvc, std::string_view dot) : gvc_(gvc) {
        std::string text(dot);
        graph_ = agmemread(text.c_str());
        if (!graph_) throw std::invalid_argument("the DOT text does not parse");
        if (gvLayout(gvc_, graph_, "dot") != 0) {
            agclose(graph_);
            throw std::runtime_error("graphviz layout failed");
        }
    }
    ~LaidOut() {
        gvFreeLayout(gvc_, graph_);
        agclose(graph_);
    }
    Agraph_t* graph() const { return graph_; }

  private:
    GVC_t* gvc_;
    Agraph_t* graph_ = nullptr;
};

}  // namespace

// One context and one lock for the whole process, never freed. libgvc keeps global state, so two contexts
// must not lay out at once either; and Graphviz 2.42's pango plugin caches a pointer into a context's font
// table, so freeing a context and creating another read freed memory (AddressSanitizer, second instance).
struct Graphviz::Impl {
    std::mutex mu;
    GVC_t* gvc = gvContext();
    static Impl* Process() {
        static Impl* impl = [] {  // reachable from here: not a leak
            auto* i = new Impl;
            agseterrf([](char*) { return 0; });  // errors come back as exceptions, not as lines on stderr
            // The first layout loads fonts (fontconfig, pango: ~200 ms); pay it at start-up, not in a request.
            LaidOut warm_up(i->gvc, "digraph { a [label=\"warm up\"]; }");
            return i;
        }();
        return impl;
    }
};

Graphviz::Graphviz() : impl_(Impl::Process()) {}

Graphviz::~Graphviz() = default;

std::string Graphviz::Render(std::string_view dot, std::string_view format) {
    if (format != "svg" && format != "png" && format != "pdf") throw std::invalid_argument("unsupported format");
    std::lock_guard lock(impl_->mu);
    LaidOut g(impl_->gvc, dot);
    char* data = nullptr;
    unsigned int length = 0;
    std::string fmt(format);
    if (gvRenderData(impl_->gvc, g.graph(), fmt.c_str(), &data, &length) != 0 || !data)
        throw std::runtime_error("graphviz could not render " + fmt);
    std::string out(data, length);
    gvFreeRenderData(data);
    return out;
}

std::map<std::string, std::pair<double, double>> Graphviz::Layout(std::string_view dot) {
    std::lock_guard lock(impl_->mu);
    LaidOut g(impl_->gvc, dot);
    std::map<std::string, std::pair<double, double>> out;
    double top = GD_bb(g.graph()).UR.y;
    for (Agnode_t* n = agfstnode(g.graph()); n; n = agnxtnode(g.graph(), n))
        out[agnameof(n)] = {ND_coord(n).x, top - ND_coord(n).y};
    return out;
}

}  // namespace uxf::render
