// Refining a flow from an instruction in plain words (en, de, es, fr): "add X after/before/from Y", "remove X",
// "rename X to Y", "make X optional", "add an error path when ...". The change is made on a copy of the graph and
// answered as the ops from the current version to it, so every node the instruction does not touch keeps its id,
// label and position.
#pragma once
#include <string>
#include <vector>

#include "planner/compose.hpp"
#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/ops.hpp"

namespace uxf::ai::planner {

struct Refinement {
    std::vector<flows::Op> ops;
    std::string summary;
};

/// 422 `instruction_not_understood` (naming the forms it reads) when it cannot tell what to change, or which node
/// the instruction names.
Result<Refinement> Refine(const std::string& instruction, const flows::FlowDraft& current, const std::string& locale,
                          const PatternFinder& find);

/// The ops that turn `before` into `after` (removals, additions, then updates).
std::vector<flows::Op> OpsBetween(const flows::FlowDraft& before, const flows::FlowDraft& after);

}  // namespace uxf::ai::planner
