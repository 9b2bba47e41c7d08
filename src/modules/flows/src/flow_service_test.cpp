#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/flows/migrations.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/identity/testing.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/graphviz.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::flows {
namespace {

class FlowServiceTest : public ::testing::Test {
  protected:
    explicit FlowServiceTest(bool concurrent = false) : tdb_(concurrent) {
        db::Migrate(tdb_.db(), identity::Migrations());
        db::Migrate(tdb_.db(), Migrations());
        bus_.Subscribe("flow.", [this](const events::Event& e) {
            std::lock_guard lock(mu_);
            events_.push_back(e);
        });
        auto owner = auth_.Register({"owner@example.com", "correct horse battery", "Owner"}, {});
        owner_ = {"req_1", "127.0.0.1", "t", owner->user.id};
        ws_ = owner->workspace->id;
        auto other = auth_.Register({"viewer@example.com", "correct horse battery", "Viewer"}, {});
        viewer_ = {"req_2", "127.0.0.1", "t", other->user.id};
        auto stranger = auth_.Register({"stranger@example.com", "correct horse battery", "Stranger"}, {});
        stranger_ = {"req_3", "127.0.0.1", "t", stranger->user.id};
        (void)workspaces_.AddMember(owner_.user_id, ws_, "viewer@example.com", identity::Role::kViewer, owner_);
    }

    FlowDraft Draft(const std::string& name, int screens = 1) {
        FlowDraft d{name, "", {{"start", NodeType::kStart, "Start"}}, {}};
        for (int i = 0; i < screens; ++i) {
            std::string id = "s" + std::to_string(i);
            d.nodes.push_back({id, NodeType::kScreen, "Screen " + std::to_string(i)});
            d.edges.push_back({"e" + std::to_string(i), i ? "s" + std::to_string(i - 1) : "start", id});
        }
        return d;
    }

    uxf::testing::TestDatabase tdb_;
    ManualClock clock_{1'800'000'000LL * kSecond};
    events::InProcessEventBus bus_;
    identity::AuthService auth_{tdb_.db(), bus_, clock_, identity::testing::FastSettings()};
    identity::WorkspaceService workspaces_{tdb_.db(), bus_, clock_};
    FlowSettings settings_;
    render::Graphviz graphviz_;
    FlowService flows_{tdb_.db(), bus_, clock_, workspaces_, graphviz_, settings_};
    RequestMeta owner_, viewer_, stranger_;
    std::string ws_;
    std::mutex mu_;
    std::vector<events::Event> events_;
};

TEST_F(FlowServiceTest, ReadsVersionsStoredAsTextBeforePacking) {
    auto f = flows_.Create(ws_, Draft("Legacy", 3), Source::kApi, owner_);
    ASSERT_TRUE(f.ok());
    auto packed = tdb_.db().Read(
        [&](db::Tx& tx) { return tx.QueryOne("SELECT format, graph FROM flow_versions WHERE flow_id = :f", {f->id}); });
    ASSERT_TRUE(packed);
    EXPECT_EQ(packed->Str(0), "zstd+json");
    EXPECT_EQ(packed->Str(1), "");
    // What migration 0001 wrote: the graph as JSON text, format 'json', nothing packed.
    tdb_.db().Write([&](db::Tx& tx) {
        tx.Exec(
            "UPDATE flow_versions SET format = 'json', packed = NULL, graph = :g WHERE flow_id = :f AND version = 1",
            {std::string(R"({"nodes":[{"id":"start","type":"start","label":"Old start","data":{"k":1.5}},)"
                         R"({"id":"s","type":"screen","label":"Old screen","data":{},"position":{"x":10,"y":20}}],)"
                         R"("edges":[{"id":"e","source":"start","target":"s","label":"go","trigger":"click",)"
                         R"("condition":null}]})"),
             f->id});
    });
    FlowService fresh{tdb_.db(), bus_, clock_, workspaces_, graphviz_, settings_};  // no cached graph of version 1
    auto old = fresh.Get(f->id, owner_);
    ASSERT_TRUE(old.ok());
    ASSERT_EQ(old->nodes.size(), 2u);
    EXPECT_EQ(old->nodes[0].label, "Old start");
    EXPECT_EQ(old->nodes[0].data, R"({"k":1.5})");
    ASSERT_TRUE(old->nodes[1].position);
    EXPECT_EQ(old->nodes[1].position->y, 20);
    ASSERT_EQ(old->edges.size(), 1u);
    EXPECT_EQ(old->edges[0].label, "go");
    // Writing on top of it stores the next version packed, and the old one stays readable.
    auto draft = Draft("Legacy", 1);
    auto next = fresh.Replace(f->id, 1, draft, Source::kApi, owner_);
    ASSERT_TRUE(next.ok()) << next.error().message;
    auto v1 = fresh.GetVersion(f->id, 1, owner_);
    ASSERT_TRUE(v1.ok());
    EXPECT_EQ(v1->nodes[1].label, "Old screen");
}

TEST_F(FlowServiceTest, CreateGetAndVersionOne) {
    auto f = flows_.Create(ws_, Draft("Sign-up", 2), Source::kApi, owner_);
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_EQ(f->version, 1);
    EXPECT_TRUE(f->id.starts_with("flw_"));
    auto got = flows_.Get(f->id, viewer_);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->nodes, f->nodes);
    EXPECT_EQ(got->edges, f->edges);
    EXPECT_EQ(got->created_by, owner_.user_id);
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0].name, "flow.created");
    EXPECT_EQ(events_[0].correlation_id, "req_1");
}

TEST_F(FlowServiceTest, RolesAndStrangers) {
    EXPECT_EQ(flows_.Create(ws_, Draft("x"), Source::kApi, viewer_).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(flows_.Create(ws_, Draft("x"), Source::kApi, stranger_).error().code, ErrorCode::kNotFound);
    auto f = flows_.Create(ws_, Draft("x"), Source::kApi, owner_);
    EXPECT_EQ(flows_.Get(f->id, stranger_).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(flows_.Get(f->id, stranger_).error().message, flows_.Get("flw_nope", owner_).error().message);
    EXPECT_EQ(flows_.Replace(f->id, 1, Draft("y"), Source::kApi, viewer_).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(flows_.Delete(f->id, stranger_).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(flows_.List(ws_, "", 50, "", stranger_).error().code, ErrorCode::kNotFound);
}

TEST_F(FlowServiceTest, ReplaceNeedsTheCurrentVersionAndKeepsHistory) {
    auto f = flows_.Create(ws_, Draft("Checkout", 1), Source::kApi, owner_);
    clock_.Advance(kSecond);
    auto v2 = flows_.Replace(f->id, 1, Draft("Checkout", 3), Source::kApi, owner_);
    ASSERT_TRUE(v2.ok());
    EXPECT_EQ(v2->version, 2);
    auto stale = flows_.Replace(f->id, 1, Draft("Other"), Source::kApi, owner_);
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().slug, "version_conflict");
    EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
    auto v1 = flows_.GetVersion(f->id, 1, viewer_);
    ASSERT_TRUE(v1.ok());
    EXPECT_EQ(v1->nodes.size(), 2u);
    EXPECT_EQ(v1->version, 1);
    EXPECT_EQ(flows_.GetVersion(f->id, 9, viewer_).error().code, ErrorCode::kNotFound);
    auto versions = flows_.Versions(f->id, 50, "", viewer_);
    ASSERT_EQ(versions->items.size(), 2u);
    EXPECT_EQ(versions->items[0].version, 2);
    EXPECT_EQ(versions->items[0].summary, "added 2 screens and 2 edges");
    EXPECT_EQ(versions->items[1].summary, "created with 2 nodes and 1 edge");
    auto restored = flows_.RestoreVersion(f->id, 1, owner_);
    ASSERT_TRUE(restored.ok());
    EXPECT_EQ(restored->version, 3);
    EXPECT_EQ(restored->nodes, v1->nodes);
    EXPECT_EQ(flows_.Versions(f->id, 1, "", viewer_)->items[0].source, Source::kRestore);
}

class ConcurrentFlowTest : public FlowServiceTest {
  protected:
    ConcurrentFlowTest() : FlowServiceTest(true) {}
};

TEST_F(ConcurrentFlowTest, TwelveConcurrentWritersNeverLoseAnUpdate) {
    auto f = flows_.Create(ws_, Draft("Busy", 0), Source::kApi, owner_);
    std::atomic<int> successes{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < 12; ++w)
        writers.emplace_back([&, w] {
            for (int done = 0; done < 3;) {  // each writer lands 3 edits, re-reading after a conflict
                auto cur = flows_.Get(f->id, owner_);
                FlowDraft d{cur->name, cur->description, cur->nodes, cur->edges};
                d.nodes.push_back({"w" + std::to_string(w) + "_" + std::to_string(done), NodeType::kScreen, "x"});
                auto r = flows_.Replace(f->id, cur->version, d, Source::kApi, owner_);
                if (r.ok()) {
                    ++done;
                    ++successes;
                } else {
                    ASSERT_EQ(r.error().slug, "version_conflict");
                }
            }
        });
    for (auto& t : writers) t.join();
    auto final = flows_.Get(f->id, owner_);
    EXPECT_EQ(successes.load(), 36);
    EXPECT_EQ(final->version, 37);
    EXPECT_EQ(final->nodes.size(), 1u + 36u);  // every writer's every node is there
    EXPECT_EQ(flows_.Versions(f->id, 200, "", owner_)->items.size(), 37u);
}

TEST_F(FlowServiceTest, ListSearchesAndPagesNewestFirst) {
    for (const char* name : {"Login", "Sign-up", "Checkout 50%", "Login with SSO"}) {
        clock_.Advance(kSecond);
        ASSERT_TRUE(flows_.Create(ws_, Draft(name), Source::kApi, owner_).ok());
    }
    auto all = flows_.List(ws_, "", 50, "", viewer_);
    ASSERT_EQ(all->items.size(), 4u);
    EXPECT_EQ(all->items[0].name, "Login with SSO");
    EXPECT_EQ(flows_.List(ws_, "login", 50, "", viewer_)->items.size(), 2u);
    EXPECT_EQ(flows_.List(ws_, "50%", 50, "", viewer_)->items.size(), 1u);
    EXPECT_EQ(flows_.List(ws_, "_", 50, "", viewer_)->items.size(), 0u);
    auto p1 = flows_.List(ws_, "", 3, "", viewer_);
    clock_.Advance(kSecond);
    ASSERT_TRUE(flows_.Create(ws_, Draft("Newer"), Source::kApi, owner_).ok());  // an insert between pages
    auto p2 = flows_.List(ws_, "", 3, p1->next_cursor, viewer_);
    ASSERT_EQ(p2->items.size(), 1u);
    EXPECT_EQ(p2->items[0].name, "Login");
    EXPECT_EQ(p2->items[0].node_count, 2);
}

TEST_F(FlowServiceTest, SoftDeleteAndAdminRestore) {
    auto f = flows_.Create(ws_, Draft("Gone"), Source::kApi, owner_);
    ASSERT_TRUE(flows_.Delete(f->id, owner_).ok());
    EXPECT_EQ(flows_.Get(f->id, owner_).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(flows_.List(ws_, "", 50, "", owner_)->items.empty());
    EXPECT_EQ(flows_.Delete(f->id, owner_).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(flows_.Undelete(f->id, viewer_).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(flows_.Undelete(f->id, stranger_).error().code, ErrorCode::kNotFound);
    auto back = flows_.Undelete(f->id, owner_);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->name, "Gone");
}

TEST_F(FlowServiceTest, WorkspaceFlowLimit) {
    FlowSettings small;
    small.max_flows_per_workspace = 2;
    FlowService limited(tdb_.db(), bus_, clock_, workspaces_, graphviz_, small);
    ASSERT_TRUE(limited.Create(ws_, Draft("a"), Source::kApi, owner_).ok());
    ASSERT_TRUE(limited.Create(ws_, Draft("b"), Source::kApi, owner_).ok());
    auto third = limited.Create(ws_, Draft("c"), Source::kApi, owner_);
    EXPECT_EQ(third.error().code, ErrorCode::kLimitExceeded);
    EXPECT_NE(third.error().message.find("max_flows_per_workspace"), std::string::npos);
}

TEST_F(FlowServiceTest, WritesFromTheGraphCacheMatchWritesFromStorage) {
    auto draft = Draft("Cached", 3);
    // Not in canonical form (space, \u escape, "-0"): a write stores and returns it canonical.
    draft.nodes[1].data = R"({"price": 1.29,"big":12345678901234567890,"tiny":5e-324,"s":"caf\u00e9","z":-0})";
    draft.nodes[1].position = Position{-0.5, 12345.25};
    auto f = flows_.Create(ws_, draft, Source::kApi, owner_);
    ASSERT_TRUE(f.ok()) << f.error().message;
    // A second service on the same database has an empty cache: everything it reads is decoded from storage.
    FlowService fresh{tdb_.db(), bus_, clock_, workspaces_, graphviz_, settings_};
    OpsRequest rename{1, {Op{Op::Kind::kUpdateNode, "s2"}}};
    rename.ops[0].node_set.label = "Renamed";
    auto cached = flows_.Apply(f->id, rename, Source::kApi, owner_);  // starts from the graph Create left cached
    ASSERT_TRUE(cached.ok()) << cached.error().message;
    auto stored = fresh.Get(f->id, owner_);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->nodes, cached->nodes);
    EXPECT_EQ(stored->edges, cached->edges);
    EXPECT_EQ(stored->nodes[1].data,
              "{\"price\":1.29,\"big\":12345678901234567890,\"tiny\":5e-324,\"s\":\"caf\u00e9\",\"z\":-0}");
    draft.nodes[2].data = "[1]";  // in-process callers can hand anything: a field error, not an exception
    auto bad = flows_.Create(ws_, draft, Source::kApi, owner_);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().errors.at(0).field, "nodes[2].data");
    // And the other way round: a write by `fresh` (decoding) gives the graph `flows_` then reads from its cache.
    OpsRequest again{2, {Op{Op::Kind::kUpdateNode, "s0"}}};
    again.ops[0].node_set.label = "Again";
    auto decoded = fresh.Apply(f->id, again, Source::kApi, owner_);
    ASSERT_TRUE(decoded.ok());
    auto mine = flows_.Get(f->id, owner_);
    ASSERT_TRUE(mine.ok());
    EXPECT_EQ(mine->version, 3);
    EXPECT_EQ(mine->nodes, decoded->nodes);
}

TEST_F(FlowServiceTest, StaleOpsRebaseWhenDisjointAndConflictOtherwise) {
    auto f = flows_.Create(ws_, Draft("Ops", 2), Source::kApi, owner_);  // start, s0, s1
    OpsRequest rename{1, {Op{Op::Kind::kUpdateNode, "s0"}}};
    rename.ops[0].node_set.label = "First";
    ASSERT_TRUE(flows_.Apply(f->id, rename, Source::kApi, owner_).ok());  // now version 2
    // A client still at version 1 edits s1: nothing it touches changed, so it is rebased onto version 2.
    OpsRequest other{1, {Op{Op::Kind::kUpdateNode, "s1"}}};
    other.ops[0].node_set.label = "Second";
    auto rebased = flows_.Apply(f->id, other, Source::kApi, owner_);
    ASSERT_TRUE(rebased.ok()) << rebased.error().message;
    EXPECT_EQ(rebased->version, 3);
    EXPECT_EQ(rebased->nodes[1].label, "First");
    EXPECT_EQ(rebased->nodes[2].label, "Second");
    // A client at version 1 that edits s0 conflicts with version 2's rename.
    OpsRequest clash{1, {Op{Op::Kind::kRemoveNode, "s0"}}};
    auto conflict = flows_.Apply(f->id, clash, Source::kApi, owner_);
    ASSERT_FALSE(conflict.ok());
    EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
    EXPECT_EQ(conflict.error().slug, "ops_conflict");
    ASSERT_EQ(conflict.error().errors.size(), 1u);
    EXPECT_EQ(conflict.error().errors[0].field, "node:s0");
    EXPECT_EQ(flows_.Get(f->id, owner_)->version, 3);  // nothing applied
    OpsRequest future{9, {Op{Op::Kind::kRemoveNode, "s0"}}};
    EXPECT_EQ(flows_.Apply(f->id, future, Source::kApi, owner_).error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(flows_.Apply(f->id, other, Source::kApi, viewer_).error().code, ErrorCode::kForbidden);
}

TEST_F(FlowServiceTest, ExportsFollowTheCurrentVersion) {
    auto f = flows_.Create(ws_, Draft("Cached", 1), Source::kApi, owner_);
    auto first = flows_.Export(f->id, "mermaid", viewer_);
    ASSERT_TRUE(first.ok());
    EXPECT_NE(first->body.find("Screen 0"), std::string::npos);
    EXPECT_EQ(flows_.Export(f->id, "mermaid", viewer_)->body, first->body);  // served again, same bytes
    FlowDraft renamed = Draft("Cached", 1);
    renamed.nodes[1].label = "Renamed";
    ASSERT_TRUE(flows_.Replace(f->id, 1, renamed, Source::kApi, owner_).ok());
    auto second = flows_.Export(f->id, "mermaid", viewer_);
    EXPECT_NE(second->body.find("Renamed"), std::string::npos);  // a new version is a new file
    EXPECT_EQ(flows_.Export(f->id, "mermaid", stranger_).error().code, ErrorCode::kNotFound);  // no cache bypass
}

TEST(Summary, DescribesChanges) {
    FlowDraft a{"A", "", {{"s", NodeType::kStart, ""}, {"x", NodeType::kScreen, "X"}}, {}};
    FlowDraft b = a;
    b.nodes[1].label = "Y";
    b.nodes.push_back({"d", NodeType::kDecision, "?"});
    b.edges.push_back({"e", "s", "x"});
    EXPECT_EQ(SummarizeChange(a, b), "added 1 decision and 1 edge; changed 1 screen");
    EXPECT_EQ(SummarizeChange(a, a), "no changes");
    FlowDraft c = a;
    c.name = "C";
    c.nodes.pop_back();
    EXPECT_EQ(SummarizeChange(a, c), "removed 1 screen; renamed to \"C\"");
}

}  // namespace
}  // namespace uxf::flows
