#include "store.hpp"

#include <boost/json.hpp>

#include "uxf/core/ids.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::ai::store {

const char* const kColumns =
    "id, workspace_id, kind, mode, status, prompt, locale, provider, model, use_knowledge, flow_id, base_version, "
    "version, applied_version, credits, credits_charged, summary, ops, preview, diagnostics, error_code, error, "
    "input_tokens, output_tokens, repairs, rating, created_by, created_at, started_at, finished_at";

namespace {

GenerationStatus ParseStatus(const std::string& s) {
    if (s == "running") return GenerationStatus::kRunning;
    if (s == "succeeded") return GenerationStatus::kSucceeded;
    if (s == "failed") return GenerationStatus::kFailed;
    if (s == "cancelled") return GenerationStatus::kCancelled;
    return GenerationStatus::kQueued;
}

}  // namespace

Generation Read(const db::Row& r) {
    Generation g;
    g.id = r.Str(0);
    g.workspace_id = r.Str(1);
    g.kind = r.Str(2);
    g.mode = r.Str(3);
    g.status = ParseStatus(r.Str(4));
    g.prompt = r.Str(5);
    g.locale = r.Str(6);
    g.provider = r.Str(7);
    g.model = r.Str(8);
    g.use_knowledge = r.Int(9) != 0;
    g.flow_id = r.OptStr(10).value_or("");
    g.base_version = r.OptInt(11);
    g.version = r.OptInt(12);
    g.applied_version = r.OptInt(13);
    g.credits = r.Int(14);
    g.credits_charged = r.Int(15);
    g.summary = r.Str(16);
    g.ops_json = r.OptStr(17).value_or("");
    g.preview_json = r.OptStr(18).value_or("");
    g.diagnostics = ParseDiagnostics(r.Str(19));
    g.error_code = r.OptStr(20).value_or("");
    g.error = r.OptStr(21).value_or("");
    g.input_tokens = r.Int(22);
    g.output_tokens = r.Int(23);
    g.repairs = r.Int(24);
    if (auto rating = r.OptInt(25)) g.rating = static_cast<int>(*rating);
    g.created_by = r.Str(26);
    g.created_at = r.Int(27);
    g.started_at = r.OptInt(28);
    g.finished_at = r.OptInt(29);
    return g;
}

std::optional<Generation> Find(db::Tx& tx, const std::string& id) {
    auto rows = tx.Query(std::string("SELECT ") + kColumns + " FROM ai_generations WHERE id = :id", {id});
    if (rows.empty()) return std::nullopt;
    return Read(rows.front());
}

std::optional<Internal> FindInternal(db::Tx& tx, const std::string& id) {
    auto rows = tx.Query("SELECT hold_id, job_id, result FROM ai_generations WHERE id = :id", {id});
    if (rows.empty()) return std::nullopt;
    return Internal{rows.front().Str(0), rows.front().Str(1), rows.front().OptStr(2).value_or("")};
}

void Insert(db::Tx& tx, const Generation& g, const std::string& hold_id, const std::string& job_id) {
    tx.Exec(
        "INSERT INTO ai_generations (id, workspace_id, kind, mode, status, prompt, locale, provider, model, "
        "use_knowledge, flow_id, base_version, credits, hold_id, job_id, created_by, created_at) VALUES (:id, :ws, "
        ":kind, :mode, 'queued', :prompt, :locale, :provider, :model, :uk, :flow, :base, :credits, :hold, :job, :by, "
        ":at)",
        {g.id, g.workspace_id, g.kind, g.mode, g.prompt, g.locale, g.provider, g.model,
         std::int64_t{g.use_knowledge ? 1 : 0}, g.flow_id.empty() ? db::kNull : db::Value(g.flow_id),
         g.base_version ? db::Value(*g.base_version) : db::kNull, g.credits, hold_id, job_id, g.created_by,
         g.created_at});
}

bool Settle(db::Tx& tx, const std::string& id, const Outcome& o, Micros now) {
    auto opt_text = [](const std::string& s) { return s.empty() ? db::kNull : db::Value(s); };
    return tx.Exec(
               "UPDATE ai_generations SET status = :status, flow_id = COALESCE(:flow, flow_id), model = CASE WHEN "
               ":model1 = '' THEN model ELSE :model2 END, summary = :summary, ops = :ops, preview = :preview, "
               "result = :result, error_code = :code, error = :error, version = :version, base_version = "
               "COALESCE(:base, base_version), credits_charged = :charged, input_tokens = :inp, output_tokens = :outp, "
               "repairs = :repairs, diagnostics = :diag, finished_at = :at WHERE id = :id AND status IN ('queued', "
               "'running')",
               {std::string(StatusName(o.status)), opt_text(o.flow_id), o.model, o.model, o.summary,
                opt_text(o.ops_json), opt_text(o.preview_json), opt_text(o.result), opt_text(o.error_code),
                opt_text(o.error), o.version ? db::Value(*o.version) : db::kNull,
                o.base_version ? db::Value(*o.base_version) : db::kNull, o.credits_charged, o.input_tokens,
                o.output_tokens, o.repairs, DiagnosticsJson(o.diagnostics), now, id}) > 0;
}

std::string DiagnosticsJson(const std::vector<GenerationDiagnostic>& ds) {
    std::string out = "[";
    for (std::size_t i = 0; i < ds.size(); ++i) {
        out += i ? ",{\"code\":" : "{\"code\":";
        json_text::AppendString(out, ds[i].code);
        out += ",\"message\":";
        json_text::AppendString(out, ds[i].message);
        out += '}';
    }
    return out + "]";
}

std::vector<GenerationDiagnostic> ParseDiagnostics(const std::string& text) {
    std::vector<GenerationDiagnostic> out;
    boost::system::error_code ec;
    auto v = json_text::Parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& item : v.get_array()) {
        const auto* o = item.if_object();
        if (!o) continue;
        auto str = [&](const char* k) {
            const auto* s = o->if_contains(k);
            return s && s->is_string() ? std::string(s->get_string()) : std::string();
        };
        out.push_back({str("code"), str("message")});
    }
    return out;
}

void AddMessage(db::Tx& tx, const std::string& flow_id, const std::string& workspace_id, const std::string& role,
                const std::string& text, const std::string& generation_id, const std::string& user, Micros now) {
    auto seq = tx.Query("SELECT COALESCE(MAX(seq), 0) FROM ai_messages WHERE flow_id = :f", {flow_id});
    tx.Exec(
        "INSERT INTO ai_messages (id, flow_id, workspace_id, seq, role, text, generation_id, created_by, created_at) "
        "VALUES (:id, :f, :ws, :seq, :role, :text, :gen, :by, :at)",
        {NewId("msg"), flow_id, workspace_id, seq.front().Int(0) + 1, role, text, generation_id, user, now});
}

}  // namespace uxf::ai::store
