// (c) Mermaid import: any bytes as an imported .mmd file. An imported flow is an accepted flow, and exporting it
// and importing that again gives the same flow (checked in CheckAcceptedDraft).
#include "flow_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto draft = uxf::flows::ParseMermaid(text, uxf::fuzz::Limits());
    if (!draft.ok()) {
        if (draft.error().errors.empty()) uxf::fuzz::Broken("Mermaid refused without a field error");
        return 0;
    }
    uxf::fuzz::CheckAcceptedDraft(*draft);
    return 0;
}
