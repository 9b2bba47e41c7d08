// The planner against the quality suite (testdata/quality_suite.json: everyday prompts in four languages, each with
// the concepts its flow must show) and the refinement suite (testdata/refinement_suite.json: instructions against
// small flows, with what must change and what must not).
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "planner/planner.hpp"
#include "planner/text.hpp"
#include "uxf/flows/analysis.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/ops.hpp"
#include "uxf/flows/ops_json.hpp"

namespace uxf::ai::planner {
namespace {

namespace json = boost::json;

json::value Load(const std::string& name) {
    std::ifstream in(std::string(UXF_AI_TESTDATA) + "/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str());
}

std::string Labels(const flows::FlowDraft& d, const std::set<std::string>& only = {}) {
    std::string all;
    for (const auto& n : d.nodes)
        if (only.empty() || only.count(n.id)) all += Fold(n.label) + " | ";
    return all;
}

// Concepts: each a list of alternatives, met when any occurs in the labels.
std::vector<std::string> Missing(const json::array& concepts, const std::string& labels) {
    std::vector<std::string> missing;
    for (const auto& c : concepts) {
        bool met = false;
        for (const auto& alt : c.as_array())
            met |= labels.find(Fold(std::string(alt.as_string()))) != std::string::npos;
        if (!met) missing.push_back(json::serialize(c));
    }
    return missing;
}

TEST(PlannerQuality, EverydayPromptsGiveValidFlowsWithTheirConcepts) {
    auto suite = Load("quality_suite.json");
    PlannerProvider planner;
    int passed = 0, total = 0, invalid = 0;
    std::string report;
    for (const auto& item : suite.at("prompts").as_array()) {
        const auto& o = item.as_object();
        GenerationInput in;
        in.prompt = std::string(o.at("prompt").as_string());
        in.locale = std::string(o.at("locale").as_string());
        auto answer = planner.Produce(in);
        auto draft = flows::ParseFlowDocument(answer.json, flows::FlowSettings{});
        ++total;
        if (!draft.ok()) {
            ++invalid;
            report += std::string(o.at("id").as_string()) + ": unreadable: " + draft.error().message + "\n";
            continue;
        }
        auto diagnostics = flows::Validate(*draft);
        if (!flows::IsValid(diagnostics)) {
            ++invalid;
            report += std::string(o.at("id").as_string()) + ": invalid: " + diagnostics.front().code + " " +
                      diagnostics.front().message + "\n";
        }
        auto missing = Missing(o.at("concepts").as_array(), Labels(*draft));
        if (missing.empty()) {
            ++passed;
        } else {
            report += std::string(o.at("id").as_string()) + ": missing";
            for (const auto& m : missing) report += " " + m;
            report += "\n   labels: " + Labels(*draft) + "\n";
        }
    }
    double rate = static_cast<double>(passed) / total;
    std::cout << "planner quality: " << passed << " of " << total << " prompts (" << rate * 100 << "%), " << invalid
              << " invalid\n"
              << report;
    EXPECT_GE(total, 60);
    EXPECT_EQ(invalid, 0);
    EXPECT_GE(rate, 0.9);
}

TEST(PlannerQuality, RefinementsApplyAndKeepEverythingElse) {
    auto suite = Load("refinement_suite.json");
    PlannerProvider planner;
    int passed = 0, total = 0;
    std::string report;
    for (const auto& item : suite.at("cases").as_array()) {
        const auto& o = item.as_object();
        std::string id(o.at("id").as_string());
        ++total;
        auto base = flows::ParseFlowDocument(json::serialize(o.at("flow")), flows::FlowSettings{});
        ASSERT_TRUE(base.ok()) << id;
        GenerationInput in;
        in.task = Task::kRefine;
        in.prompt = std::string(o.at("instruction").as_string());
        in.locale = std::string(o.at("locale").as_string());
        in.current_flow_json = json::serialize(o.at("flow"));
        std::string why;
        try {
            auto answer = planner.Produce(in);
            auto ops = flows::ParseOpsRequest(answer.json, flows::FlowSettings{}, false);
            if (!ops.ok()) throw std::runtime_error("ops unreadable: " + ops.error().message);
            auto after = flows::ApplyOps(*base, ops->ops, flows::FlowSettings{});
            if (!after.ok()) throw std::runtime_error("ops do not apply: " + after.error().message);
            auto diagnostics = flows::Validate(*after);
            if (!flows::IsValid(diagnostics)) why += "invalid: " + diagnostics.front().message + "; ";
            const auto& expect = o.at("expect").as_object();
            std::set<std::string> may_touch, removed, old_ids;
            for (const auto& v : expect.at("may_touch").as_array()) may_touch.insert(std::string(v.as_string()));
            for (const auto& v : expect.at("removed").as_array()) removed.insert(std::string(v.as_string()));
            std::map<std::string, const flows::Node*> now;
            for (const auto& n : after->nodes) now[n.id] = &n;
            for (const auto& n : base->nodes) {
                old_ids.insert(n.id);
                if (removed.count(n.id)) {
                    if (now.count(n.id)) why += "not removed: " + n.id + "; ";
                    continue;
                }
                if (!now.count(n.id)) {
                    why += "lost " + n.id + "; ";
                    continue;
                }
                if (may_touch.count(n.id)) continue;
                const auto* m = now[n.id];
                if (expect.at("renamed").as_object().contains(n.id)) continue;
                if (m->label != n.label || m->position != n.position) why += "changed " + n.id + "; ";
            }
            for (const auto& [nid, label] : expect.at("renamed").as_object())
                if (!now.count(nid) || now[nid]->label != label.as_string())
                    why += "not renamed: " + std::string(nid) + "; ";
            std::set<std::string> added;
            for (const auto& n : after->nodes)
                if (!old_ids.count(n.id)) added.insert(n.id);
            auto missing = Missing(expect.at("added_concepts").as_array(),
                                   Labels(*after, added.empty() ? std::set<std::string>{"-"} : added));
            for (const auto& m : missing) why += "missing " + m + " (added: " + Labels(*after, added) + "); ";
            for (const auto& l : expect.at("absent_labels").as_array())
                for (const auto& n : after->nodes)
                    if (n.label == l.as_string()) why += "still there: " + n.label + "; ";
            if (id.find("optional") != std::string::npos && ops->ops.empty()) why += "no ops; ";
        } catch (const std::exception& e) {
            why += e.what();
        }
        if (why.empty())
            ++passed;
        else
            report += id + ": " + why + "\n";
    }
    std::cout << "planner refinements: " << passed << " of " << total << "\n" << report;
    EXPECT_GE(total, 20);
    EXPECT_EQ(passed, total);
}

}  // namespace
}  // namespace uxf::ai::planner
