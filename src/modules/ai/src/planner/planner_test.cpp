// The planner on prompts that once went wrong, each with what must hold.
#include "planner/planner.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "uxf/flows/analysis.hpp"
#include "uxf/flows/flow_json.hpp"

namespace uxf::ai::planner {
namespace {

flows::FlowDraft Plan(const std::string& prompt, const std::string& locale = "") {
    PlannerProvider planner;
    GenerationInput in;
    in.prompt = prompt;
    in.locale = locale;
    auto draft = flows::ParseFlowDocument(planner.Produce(in).json, flows::FlowSettings{});
    EXPECT_TRUE(draft.ok());
    EXPECT_TRUE(flows::IsValid(flows::Validate(*draft)));
    return draft.ok() ? *draft : flows::FlowDraft{};
}

const flows::Node* Labelled(const flows::FlowDraft& d, const std::string& label) {
    auto it = std::find_if(d.nodes.begin(), d.nodes.end(), [&](const flows::Node& n) { return n.label == label; });
    return it == d.nodes.end() ? nullptr : &*it;
}

std::size_t Count(const flows::FlowDraft& d, flows::NodeType type) {
    return std::count_if(d.nodes.begin(), d.nodes.end(), [&](const flows::Node& n) { return n.type == type; });
}

// Steps before a clause with its own alternatives stay steps; the retry after the payment goes back to the choice;
// one end.
TEST(Planner, StepsBeforeAChoiceStaySteps) {
    auto d = Plan(
        "Reserva de hotel: elegir fechas, elegir habitación, pagar con tarjeta o PayPal; si el pago falla, "
        "mostrar un error y reintentar",
        "es");
    ASSERT_NE(Labelled(d, "Elegir fechas"), nullptr);
    ASSERT_NE(Labelled(d, "Elegir habitación"), nullptr);
    const auto* choice = Labelled(d, "Pagar con: tarjeta / PayPal?");
    ASSERT_NE(choice, nullptr);
    EXPECT_EQ(Count(d, flows::NodeType::kEnd), 1u);
    const auto* error = Labelled(d, "Error: pago falla – reintentar");
    ASSERT_NE(error, nullptr);
    auto retry =
        std::find_if(d.edges.begin(), d.edges.end(), [&](const flows::Edge& e) { return e.source == error->id; });
    ASSERT_NE(retry, d.edges.end());
    EXPECT_EQ(retry->target, choice->id);
}

// An alternative the pattern's decision already has is not added again; the missing one is.
TEST(Planner, AChoiceExtendsThePatternsDecision) {
    auto d = Plan("checkout for a bookshop where customers pay by card, PayPal or Apple Pay");
    EXPECT_NE(Labelled(d, "Apple Pay"), nullptr);
    EXPECT_EQ(Labelled(d, "Card"), nullptr);  // the pattern's "Card details" branch is the card
    EXPECT_NE(Labelled(d, "Card details"), nullptr);
}

// Punctuation, control characters and very long clauses still make a valid flow with a name.
TEST(Planner, OddPromptsStillMakeValidFlows) {
    EXPECT_EQ(Plan(",;:").name, "Flow");
    auto d = Plan("sign\x01up\twith\nemail " + std::string(600, 'a'));
    for (const auto& n : d.nodes) EXPECT_LE(n.label.size(), 130u * 4) << n.label;
}

// A journey the library lacks is named by its own words, what it comes with a step of its own.
TEST(Planner, AnUnknownJourneyUsesItsOwnWords) {
    auto d = Plan("Course enrollment with payment and a placement test for an online university");
    EXPECT_NE(Labelled(d, "Course enrollment: enter the details"), nullptr);
    EXPECT_NE(Labelled(d, "Payment"), nullptr);
    EXPECT_NE(Labelled(d, "Placement test"), nullptr);
}

}  // namespace
}  // namespace uxf::ai::planner
