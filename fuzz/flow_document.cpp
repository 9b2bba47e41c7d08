// (a) The flow document codec: any bytes as a create/PUT body or a json import.
#include "flow_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto draft = uxf::flows::ParseFlowDocument(text, uxf::fuzz::Limits());
    if (!draft.ok()) {
        if (draft.error().code != uxf::ErrorCode::kInvalidInput && draft.error().code != uxf::ErrorCode::kLimitExceeded)
            uxf::fuzz::Broken("refused with a code that is not 400/422:", draft.error().message);
        return 0;
    }
    uxf::fuzz::CheckAcceptedDraft(*draft);
    return 0;
}
