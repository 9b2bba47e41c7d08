// The Flows section of docs/api.md over real HTTP (the part built so far).
#include "server_fixture.hpp"

namespace uxf::testing {
namespace {

class FlowApiTest : public ServerTest {
  protected:
    void SetUp() override {
        auto c = BaseConfig();
        c.flows.max_nodes = 50;
        Start(c);
        owner_ = Register("owner@example.com");
        stranger_ = Register("stranger@example.com");
    }
    std::string Checkout() const {
        return R"({"name":"Checkout","description":"","nodes":[
            {"id":"cart","type":"screen","label":"Cart","data":{},"position":{"x":0,"y":0}},
            {"id":"pay","type":"action","label":"Pay"}],
            "edges":[{"id":"e1","source":"cart","target":"pay","label":"Checkout","trigger":"click","condition":null}]})";
    }
    Account owner_, stranger_;
};

TEST_F(FlowApiTest, CreateGetPutWithEtagsAndVersions) {
    auto created = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows", Checkout(), owner_.access);
    ASSERT_EQ(created.status, 201) << created.raw;
    std::string id = created.Str("id");
    EXPECT_EQ(created.Header("ETag"), "\"1\"");
    EXPECT_EQ(created.Header("Location"), "/v1/flows/" + id);
    EXPECT_EQ(created.body.at("version").as_int64(), 1);
    EXPECT_EQ(created.body.at("nodes").at(0).at("position").at("x").to_number<double>(), 0);
    EXPECT_TRUE(created.body.at("edges").at(0).at("condition").is_null());

    auto got = Call("GET", "/v1/flows/" + id, "", owner_.access);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.Header("ETag"), "\"1\"");
    EXPECT_EQ(got.body.at("nodes"), created.body.at("nodes"));

    // PUT takes the representation GET returns; read-only fields are ignored.
    auto doc = got.body.as_object();
    doc["name"] = "Checkout v2";
    doc["version"] = 42;
    auto no_match = Call("PUT", "/v1/flows/" + id, Json(doc), owner_.access);
    EXPECT_EQ(no_match.status, 428);
    auto put = Call("PUT", "/v1/flows/" + id, Json(doc), owner_.access, {{"If-Match", "\"1\""}});
    ASSERT_EQ(put.status, 200) << put.raw;
    EXPECT_EQ(put.body.at("version").as_int64(), 2);
    EXPECT_EQ(put.Header("ETag"), "\"2\"");
    auto stale = Call("PUT", "/v1/flows/" + id, Json(doc), owner_.access, {{"If-Match", "\"1\""}});
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(stale.Code(), "version_conflict");

    auto versions = Call("GET", "/v1/flows/" + id + "/versions", "", owner_.access);
    ASSERT_EQ(versions.status, 200);
    ASSERT_EQ(versions.body.at("items").as_array().size(), 2u);
    EXPECT_EQ(versions.body.at("items").at(0).at("summary").as_string(), "renamed to \"Checkout v2\"");
    EXPECT_EQ(versions.body.at("items").at(1).at("source").as_string(), "api");
    auto v1 = Call("GET", "/v1/flows/" + id + "/versions/1", "", owner_.access);
    EXPECT_EQ(v1.Str("name"), "Checkout");
    EXPECT_EQ(Call("GET", "/v1/flows/" + id + "/versions/0", "", owner_.access).status, 400);
    auto restored = Call("POST", "/v1/flows/" + id + "/versions/1/restore", "", owner_.access);
    EXPECT_EQ(restored.status, 200);
    EXPECT_EQ(restored.body.at("version").as_int64(), 3);
    EXPECT_EQ(restored.Str("name"), "Checkout");
}

TEST_F(FlowApiTest, BadFlowsAre400WithFieldErrorsAnd422ForLimits) {
    std::string base = "/v1/workspaces/" + owner_.workspace_id + "/flows";
    auto bad = Call("POST", base,
                    R"({"name":"x","nodes":[{"id":"a","type":"portal"},{"id":"a","type":"end"}],
                       "edges":[{"source":"a","target":"nope"}]})",
                    owner_.access);
    EXPECT_EQ(bad.status, 400);
    EXPECT_GE(bad.body.at("errors").as_array().size(), 1u);
    EXPECT_EQ(bad.body.at("errors").at(0).at("field").as_string(), "nodes[0].type");
    auto dup = Call("POST", base, R"({"name":"x","nodes":[{"id":"a","type":"start"},{"id":"a","type":"end"}]})",
                    owner_.access);
    EXPECT_EQ(dup.status, 400);
    EXPECT_EQ(dup.body.at("errors").at(0).at("field").as_string(), "nodes[1].id");
    std::string many = R"({"name":"big","nodes":[)";
    for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + R"({"type":"screen"})";
    auto big = Call("POST", base, many + "]}", owner_.access);
    EXPECT_EQ(big.status, 422);
    EXPECT_EQ(big.Code(), "limit_exceeded");
    EXPECT_EQ(Call("POST", base, "{not json", owner_.access).status, 400);
    EXPECT_TRUE(Call("GET", base, "", owner_.access).body.at("items").as_array().empty());  // nothing was stored
}

TEST_F(FlowApiTest, StrangersGet404AndListsSearch) {
    std::string base = "/v1/workspaces/" + owner_.workspace_id + "/flows";
    auto created = Call("POST", base, Checkout(), owner_.access);
    std::string id = created.Str("id");
    EXPECT_EQ(Call("GET", "/v1/flows/" + id, "", stranger_.access).status, 404);
    EXPECT_EQ(Call("PUT", "/v1/flows/" + id, Checkout(), stranger_.access, {{"If-Match", "\"1\""}}).status, 404);
    EXPECT_EQ(Call("DELETE", "/v1/flows/" + id, "", stranger_.access).status, 404);
    EXPECT_EQ(Call("GET", base, "", stranger_.access).status, 404);
    EXPECT_EQ(Call("POST", base, Checkout(), stranger_.access).status, 404);

    Call("POST", base, R"({"name":"Login"})", owner_.access);
    auto found = Call("GET", base + "?q=check", "", owner_.access);
    ASSERT_EQ(found.body.at("items").as_array().size(), 1u);
    EXPECT_EQ(found.body.at("items").at(0).at("node_count").as_int64(), 2);
    EXPECT_FALSE(found.body.at("items").at(0).as_object().contains("nodes"));

    EXPECT_EQ(Call("DELETE", "/v1/flows/" + id, "", owner_.access).status, 204);
    EXPECT_EQ(Call("GET", "/v1/flows/" + id, "", owner_.access).status, 404);
    EXPECT_EQ(Call("POST", "/v1/flows/" + id + "/restore", "", owner_.access).status, 200);
    EXPECT_EQ(Call("GET", "/v1/flows/" + id, "", owner_.access).status, 200);
}

TEST_F(FlowApiTest, OpsApplyAtomicallyAndRebase) {
    auto created = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows", Checkout(), owner_.access);
    std::string ops = "/v1/flows/" + created.Str("id") + "/ops";
    auto r = Call("POST", ops, R"({"base_version":1,"ops":[{"op":"add_node","node":{"id":"done","type":"end"}},
        {"op":"add_edge","edge":{"id":"e2","source":"pay","target":"done","trigger":"auto"}}]})",
                  owner_.access);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.Header("ETag"), "\"2\"");
    EXPECT_EQ(r.body.at("nodes").as_array().size(), 3u);
    // Stale but disjoint: rebased onto version 2.
    auto rebased =
        Call("POST", ops, R"({"base_version":1,"ops":[{"op":"update_node","id":"cart","set":{"label":"Basket"}}]})",
             owner_.access);
    EXPECT_EQ(rebased.status, 200) << rebased.raw;
    EXPECT_EQ(rebased.body.at("version").as_int64(), 3);
    // Stale and overlapping: 409 naming the ids.
    auto conflict = Call("POST", ops, R"({"base_version":1,"ops":[{"op":"remove_node","id":"pay"}]})", owner_.access);
    EXPECT_EQ(conflict.status, 409);
    EXPECT_EQ(conflict.Code(), "ops_conflict");
    EXPECT_EQ(conflict.body.at("errors").at(0).at("field").as_string(), "edge:e2");  // added to pay since v1
    // One bad op: nothing applies.
    auto bad = Call("POST", ops, R"({"base_version":3,"ops":[{"op":"remove_node","id":"cart"},
        {"op":"update_edge","id":"nope","set":{"label":"x"}}]})",
                    owner_.access);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body.at("errors").at(0).at("field").as_string(), "ops[1]");
    EXPECT_EQ(Call("GET", "/v1/flows/" + created.Str("id"), "", owner_.access).body.at("version").as_int64(), 3);
}

TEST_F(FlowApiTest, ExportsWithContentTypeAndFilename) {
    auto created = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows", Checkout(), owner_.access);
    std::string base = "/v1/flows/" + created.Str("id") + "/export?format=";
    auto svg = Call("GET", base + "svg", "", owner_.access);
    EXPECT_EQ(svg.status, 200);
    EXPECT_EQ(svg.Header("Content-Type"), "image/svg+xml");
    EXPECT_EQ(svg.Header("Content-Disposition"), "attachment; filename=\"checkout.svg\"");
    EXPECT_NE(svg.raw.find("<svg"), std::string::npos);
    auto png = Call("GET", base + "png", "", owner_.access);
    EXPECT_EQ(png.Header("Content-Type"), "image/png");
    EXPECT_EQ(png.raw.substr(1, 3), "PNG");
    auto mermaid = Call("GET", base + "mermaid", "", owner_.access);
    EXPECT_TRUE(mermaid.raw.starts_with("flowchart LR"));
    auto json = Call("GET", base + "json", "", owner_.access);
    EXPECT_EQ(json.body.at("nodes"), created.body.at("nodes"));
    auto bad = Call("GET", base + "docx", "", owner_.access);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body.at("errors").at(0).at("field").as_string(), "format");
    EXPECT_EQ(Call("GET", base + "svg", "", stranger_.access).status, 404);
}

TEST_F(FlowApiTest, ImportJsonMermaidAndDrawio) {
    std::string base = "/v1/workspaces/" + owner_.workspace_id + "/flows/import";
    auto created = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows", Checkout(), owner_.access);
    std::string id = created.Str("id");
    for (const char* format : {"json", "mermaid", "drawio"}) {
        auto file = Call("GET", "/v1/flows/" + id + "/export?format=" + format, "", owner_.access);
        ASSERT_EQ(file.status, 200) << format;
        auto imported =
            Call("POST", base, Json({{"format", format}, {"content", file.raw}, {"name", "Copy"}}), owner_.access);
        ASSERT_EQ(imported.status, 201) << format << ": " << imported.raw;
        EXPECT_EQ(imported.Str("name"), "Copy");
        EXPECT_EQ(imported.body.at("nodes").as_array().size(), 2u) << format;
        EXPECT_EQ(imported.body.at("edges").at(0).at("source").as_string(), "cart") << format;
        auto versions = Call("GET", "/v1/flows/" + imported.Str("id") + "/versions", "", owner_.access);
        EXPECT_EQ(versions.body.at("items").at(0).at("source").as_string(), "import");
    }
    auto bad =
        Call("POST", base, Json({{"format", "mermaid"}, {"content", "flowchart LR\n A[oops --> B"}}), owner_.access);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body.at("errors").at(0).at("field").as_string(), "content:2");
    EXPECT_EQ(Call("POST", base, Json({{"format", "visio"}, {"content", "x"}}), owner_.access).status, 400);
    EXPECT_EQ(Call("POST", base, Json({{"format", "json"}, {"content", Checkout()}}), stranger_.access).status, 404);
}

TEST_F(FlowApiTest, BatchPerItemAndAtomic) {
    std::string ws = "/v1/workspaces/" + owner_.workspace_id + "/flows";
    auto first = Call("POST", ws, Checkout(), owner_.access);
    std::string id = first.Str("id");
    auto mixed = Call("POST", ws + "/batch", R"({"operations":[
        {"op":"create","flow":{"name":"A"}},
        {"op":"update","id":")" + id + R"(","version":1,"flow":{"name":"Checkout 2"}},
        {"op":"update","id":")" + id + R"(","version":1,"flow":{"name":"stale"}},
        {"op":"create","flow":{"name":"bad","nodes":[{"type":"blob"}]}},
        {"op":"delete","id":"flw_missing"}]})",
                      owner_.access);
    ASSERT_EQ(mixed.status, 200) << mixed.raw;
    const auto& r = mixed.body.at("results").as_array();
    ASSERT_EQ(r.size(), 5u);
    EXPECT_EQ(r[0].at("status").as_int64(), 201);
    EXPECT_EQ(r[1].at("status").as_int64(), 200);
    EXPECT_EQ(r[1].at("version").as_int64(), 2);
    EXPECT_EQ(r[2].at("status").as_int64(), 412);
    EXPECT_EQ(r[3].at("status").as_int64(), 400);
    EXPECT_EQ(r[3].at("error").at("errors").at(0).at("field").as_string(), "operations[3].flow.nodes[0].type");
    EXPECT_EQ(r[4].at("status").as_int64(), 404);
    EXPECT_EQ(Call("GET", ws, "", owner_.access).body.at("items").as_array().size(), 2u);

    auto atomic = Call("POST", ws + "/batch", R"({"atomic":true,"operations":[
        {"op":"create","flow":{"name":"B"}},
        {"op":"delete","id":")" + id + R"("},
        {"op":"update","id":")" + id + R"(","flow":{"name":"after delete"}}]})",
                       owner_.access);
    ASSERT_EQ(atomic.status, 200);
    const auto& a = atomic.body.at("results").as_array();
    EXPECT_EQ(a[0].at("status").as_int64(), 409);
    EXPECT_EQ(a[0].at("error").at("code").as_string(), "batch_aborted");
    EXPECT_EQ(a[1].at("status").as_int64(), 409);
    EXPECT_EQ(a[2].at("status").as_int64(), 404);  // the flow was deleted by item 1 inside the transaction
    EXPECT_EQ(Call("GET", ws, "", owner_.access).body.at("items").as_array().size(), 2u);  // nothing changed
    EXPECT_EQ(Call("GET", "/v1/flows/" + id, "", owner_.access).status, 200);
    EXPECT_EQ(Call("POST", ws + "/batch", R"({"operations":[]})", owner_.access).status, 400);
    EXPECT_EQ(
        Call("POST", ws + "/batch", R"({"operations":[{"op":"create","flow":{"name":"x"}}]})", stranger_.access).status,
        404);
}

TEST_F(FlowApiTest, LayoutFillsMissingPositions) {
    auto created = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows", Checkout(), owner_.access);
    std::string id = created.Str("id");
    auto laid = Call("POST", "/v1/flows/" + id + "/layout", R"({"direction":"TB"})", owner_.access);
    ASSERT_EQ(laid.status, 200) << laid.raw;
    EXPECT_EQ(laid.body.at("version").as_int64(), 2);
    EXPECT_EQ(laid.body.at("nodes").at(0).at("position"), created.body.at("nodes").at(0).at("position"));  // kept
    EXPECT_TRUE(laid.body.at("nodes").at(1).as_object().contains("position"));
    auto again = Call("POST", "/v1/flows/" + id + "/layout", "", owner_.access);
    EXPECT_EQ(again.body.at("version").as_int64(), 2);  // nothing to place: no new version
    EXPECT_EQ(Call("POST", "/v1/flows/" + id + "/layout", R"({"direction":"up"})", owner_.access).status, 400);
}

TEST_F(FlowApiTest, IdempotencyKeyReplaysTheFirstAnswer) {
    std::string ws = "/v1/workspaces/" + owner_.workspace_id + "/flows";
    auto first = Call("POST", ws, Checkout(), owner_.access, {{"Idempotency-Key", "create-checkout-1"}});
    ASSERT_EQ(first.status, 201);
    auto again = Call("POST", ws, Checkout(), owner_.access, {{"Idempotency-Key", "create-checkout-1"}});
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.Str("id"), first.Str("id"));  // the same flow, not a second one
    EXPECT_EQ(again.Header("Location"), first.Header("Location"));
    EXPECT_EQ(again.Header("ETag"), "\"1\"");
    EXPECT_EQ(again.Header("Idempotency-Replayed"), "true");
    EXPECT_EQ(Call("GET", ws, "", owner_.access).body.at("items").as_array().size(), 1u);
    auto other = Call("POST", ws, R"({"name":"Different"})", owner_.access, {{"Idempotency-Key", "create-checkout-1"}});
    EXPECT_EQ(other.status, 422);
    EXPECT_EQ(other.Code(), "idempotency_key_reused");
    // Keys belong to their user: the same key elsewhere is a new request.
    auto mine = Call("POST", "/v1/workspaces/" + stranger_.workspace_id + "/flows", Checkout(), stranger_.access,
                     {{"Idempotency-Key", "create-checkout-1"}});
    EXPECT_EQ(mine.status, 201);
    EXPECT_NE(mine.Str("id"), first.Str("id"));
    // A refused request is recorded too: its retry gets the same refusal.
    auto bad = Call("POST", ws, R"({"name":""})", owner_.access, {{"Idempotency-Key", "bad-1"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(Call("POST", ws, R"({"name":""})", owner_.access, {{"Idempotency-Key", "bad-1"}})
                  .Header("Idempotency-Replayed"),
              "true");
    // Ops retried with a key apply once.
    std::string ops = "/v1/flows/" + first.Str("id") + "/ops";
    std::string body = R"({"base_version":1,"ops":[{"op":"add_node","node":{"type":"end"}}]})";
    auto op1 = Call("POST", ops, body, owner_.access, {{"Idempotency-Key", "op-1"}});
    auto op2 = Call("POST", ops, body, owner_.access, {{"Idempotency-Key", "op-1"}});
    EXPECT_EQ(op1.body.at("version").as_int64(), 2);
    EXPECT_EQ(op2.body.at("version").as_int64(), 2);
    EXPECT_EQ(Call("GET", "/v1/flows/" + first.Str("id"), "", owner_.access).body.at("nodes").as_array().size(), 3u);
}

TEST_F(FlowApiTest, ValidateAnalyticsAndDiff) {
    auto created = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows", Checkout(), owner_.access);
    std::string id = created.Str("id");
    auto v = Call("GET", "/v1/flows/" + id + "/validate", "", owner_.access);
    ASSERT_EQ(v.status, 200);
    EXPECT_FALSE(v.body.at("valid").as_bool());  // no start, no end
    std::vector<std::string> codes;
    for (const auto& d : v.body.at("diagnostics").as_array()) codes.emplace_back(d.at("code").as_string());
    EXPECT_NE(std::find(codes.begin(), codes.end(), "no_start"), codes.end());

    auto doc = created.body.as_object();
    auto& nodes = doc["nodes"].as_array();
    nodes.push_back(boost::json::object{{"id", "begin"}, {"type", "start"}});
    nodes.push_back(boost::json::object{{"id", "done"}, {"type", "end"}});
    auto& edges = doc["edges"].as_array();
    edges.push_back(boost::json::object{{"id", "e0"}, {"source", "begin"}, {"target", "cart"}});
    edges.push_back(boost::json::object{{"id", "e2"}, {"source", "pay"}, {"target", "done"}});
    ASSERT_EQ(Call("PUT", "/v1/flows/" + id, Json(doc), owner_.access, {{"If-Match", "\"1\""}}).status, 200);
    auto valid = Call("GET", "/v1/flows/" + id + "/validate", "", owner_.access);
    EXPECT_TRUE(valid.body.at("valid").as_bool()) << valid.raw;
    auto a = Call("GET", "/v1/flows/" + id + "/analytics", "", owner_.access);
    ASSERT_EQ(a.status, 200);
    EXPECT_EQ(a.body.at("paths_start_to_end").as_int64(), 1);
    EXPECT_EQ(a.body.at("max_depth").as_int64(), 3);
    EXPECT_EQ(a.body.at("screens").as_int64(), 1);
    auto d = Call("GET", "/v1/flows/" + id + "/diff?from=1&to=2", "", owner_.access);
    ASSERT_EQ(d.status, 200);
    EXPECT_EQ(d.body.at("added_nodes").as_array().size(), 2u);
    EXPECT_EQ(d.body.at("added_edges").as_array().size(), 2u);
    EXPECT_EQ(Call("GET", "/v1/flows/" + id + "/diff?from=1", "", owner_.access).status, 400);
    EXPECT_EQ(Call("GET", "/v1/flows/" + id + "/diff?from=1&to=9", "", owner_.access).status, 404);
    EXPECT_EQ(Call("GET", "/v1/flows/" + id + "/analytics", "", stranger_.access).status, 404);
}

}  // namespace
}  // namespace uxf::testing
