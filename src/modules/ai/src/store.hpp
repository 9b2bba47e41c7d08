// The ai module's rows: generations and the conversation, read and written inside a caller's transaction.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "uxf/ai/generation_service.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::ai::store {

/// The columns Read understands, for SELECT and RETURNING.
extern const char* const kColumns;
Generation Read(const db::Row& row);
std::optional<Generation> Find(db::Tx& tx, const std::string& id);
/// Also returns the hold and the job ids, which the API never shows.
struct Internal {
    std::string hold_id, job_id, result;
};
std::optional<Internal> FindInternal(db::Tx& tx, const std::string& id);

void Insert(db::Tx& tx, const Generation& g, const std::string& hold_id, const std::string& job_id);

/// Moves a generation that is not final yet to a final status with the given fields; false when it was final
/// already (a cancellation or another process won).
struct Outcome {
    GenerationStatus status = GenerationStatus::kSucceeded;
    std::string flow_id, model, summary, ops_json, preview_json, result, error_code, error;
    std::optional<std::int64_t> version, base_version;
    std::int64_t credits_charged = 0, input_tokens = 0, output_tokens = 0, repairs = 0;
    std::vector<GenerationDiagnostic> diagnostics;
};
bool Settle(db::Tx& tx, const std::string& id, const Outcome& o, Micros now);

std::string DiagnosticsJson(const std::vector<GenerationDiagnostic>& ds);
std::vector<GenerationDiagnostic> ParseDiagnostics(const std::string& json);

/// Appends a message to a flow's conversation (the next seq).
void AddMessage(db::Tx& tx, const std::string& flow_id, const std::string& workspace_id, const std::string& role,
                const std::string& text, const std::string& generation_id, const std::string& user, Micros now);

}  // namespace uxf::ai::store
