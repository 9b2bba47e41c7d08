// What the LLM is asked: our instructions (the system text) and the generation's material as delimited DATA
// blocks. Everything a person or a document wrote (the prompt, patterns, excerpts, examples, the current flow, the
// conversation) goes only inside blocks `<uxf-data-7c41e9 ...>` ... `</uxf-data-7c41e9>`, with any occurrence of
// the tag inside the text neutralised, and the system text says a block's text is data, never instructions.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "generation_input.hpp"
#include "llm/model_client.hpp"

namespace uxf::ai {

/// The data blocks' tag: random-looking, so that no text holds it by chance.
inline constexpr std::string_view kDataTag = "uxf-data-7c41e9";

/// One data block: `<tag kind="..." key="value"...>`, the text, `</tag>`. Attribute values keep only letters,
/// digits and `_.:-` (at most 80); every occurrence of the tag in `text`, in any case, is replaced.
std::string DataBlock(std::string_view kind, const std::vector<std::pair<std::string, std::string>>& attributes,
                      std::string_view text);

/// The request for a generation's first answer: a flow document (kCreate, schema "flow") or `{summary, ops}`
/// (kRefine, schema "flow_ops"); one user message.
ModelRequest BuildRequest(const GenerationInput& input);

/// The request after `previous` failed our checks: the first request's user message, `previous` as the
/// assistant's turn, then a user turn listing `diagnostics` (as data) and asking for the whole answer again.
ModelRequest BuildRepairRequest(const GenerationInput& input, std::string_view previous,
                                const std::vector<std::string>& diagnostics);

}  // namespace uxf::ai
