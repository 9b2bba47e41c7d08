#include "generate_command.hpp"

#include "app.hpp"
#include "uxf/ai/generation_service.hpp"
#include "uxf/core/log.hpp"
#include "uxf/flows/export.hpp"

namespace uxf::app {

int GenerateCommand(Config config, const std::string& prompt, const std::string& locale, const std::string& provider,
                    const std::string& format, std::ostream& out, std::ostream& err) {
    if (config.log.level == "info") config.log.level = "warn";  // the flow goes to stdout, the chatter nowhere
    SetUpLogging(config.log);
    App application(config);
    auto result = application.generations().Generate(prompt, locale, provider);
    if (!result.ok()) {
        err << result.error().message << "\n";
        for (const auto& d : result.error().errors) err << "  " << d.field << ": " << d.message << "\n";
        return 2;
    }
    flows::Flow flow;
    flow.name = result->flow.name;
    flow.description = result->flow.description;
    flow.nodes = std::move(result->flow.nodes);
    flow.edges = std::move(result->flow.edges);
    auto file = flows::ExportFlow(flow, format, application.graphviz());
    if (!file.ok()) {
        err << file.error().message << "\n";
        return 2;
    }
    out << file->body;
    if (!file->body.empty() && file->body.back() != '\n') out << "\n";
    return 0;
}

}  // namespace uxf::app
