// (b) Ops and batch bodies: any bytes as POST .../ops and POST .../flows/batch. Ops that parse are applied to a
// small flow: they apply (and the result is an accepted flow) or fail with a 400, never otherwise.
#include "flow_checks.hpp"
#include "routes/flow_json.hpp"  // the gateway's readers of ops and batch bodies
#include "uxf/flows/ops.hpp"

namespace {

const uxf::flows::FlowDraft& Base() {
    using namespace uxf::flows;
    static const FlowDraft base{"Checkout",
                                "",
                                {{"start", NodeType::kStart, "Cart"},
                                 {"pay", NodeType::kScreen, "Pay", R"({"k":1})", Position{10, 20}},
                                 {"ok", NodeType::kDecision, "Paid?"},
                                 {"done", NodeType::kEnd, "Thanks"}},
                                {{"e1", "start", "pay", "Checkout", Trigger::kClick},
                                 {"e2", "pay", "ok", "", Trigger::kSubmit},
                                 {"e3", "ok", "done", "yes", std::nullopt, std::string("paid")},
                                 {"e4", "ok", "pay", "no"}}};
    return base;
}

bool Expected(const uxf::Error& e) {
    return e.code == uxf::ErrorCode::kInvalidInput || e.code == uxf::ErrorCode::kLimitExceeded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace uxf;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto ops = gateway::ReadOpsBody(text, fuzz::Limits());
    if (!ops.ok()) {
        if (!Expected(ops.error())) fuzz::Broken("ops refused with a code that is not 400/422");
    } else {
        flows::TouchedBy(ops->ops, Base());
        auto applied = flows::ApplyOps(Base(), ops->ops, fuzz::Limits());
        if (applied.ok())
            fuzz::CheckAcceptedDraft(*applied);
        else if (!Expected(applied.error()))
            fuzz::Broken("ops failed with a code that is not 400/422");
    }
    auto batch = gateway::ReadBatchBody(text, fuzz::Limits(), 20);
    if (!batch.ok()) {
        if (!Expected(batch.error())) fuzz::Broken("batch refused with a code that is not 400/422");
        return 0;
    }
    for (const auto& item : batch->items) {
        if (!item.ok()) {
            if (!Expected(item.error())) fuzz::Broken("batch item refused with a code that is not 400/422");
            if (item.error().errors.empty()) fuzz::Broken("batch item error names no field");
        } else if (item->kind != flows::BatchOp::Kind::kDelete) {
            fuzz::CheckAcceptedDraft(item->draft);
        }
    }
    return 0;
}
