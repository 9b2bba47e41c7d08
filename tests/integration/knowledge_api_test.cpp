// The Knowledge section of docs/api.md over real HTTP: documents as JSON and as uploads, ingested by the
// server's own job workers, then searched.
#include <chrono>
#include <thread>

#include "server_fixture.hpp"

namespace uxf::testing {
namespace {

class KnowledgeApiTest : public ServerTest {
  protected:
    void SetUp() override {
        auto c = BaseConfig();
        c.jobs.poll_ms = 20;
        c.knowledge.max_document_bytes = 4096;
        Start(c);
        owner_ = Register("owner@example.com");
        stranger_ = Register("stranger@example.com");
        docs_ = "/v1/workspaces/" + owner_.workspace_id + "/knowledge/documents";
    }
    // Waits until the document's ingestion finished (ready or failed) and returns it.
    Reply WaitIngested(const std::string& id) {
        for (int i = 0; i < 200; ++i) {
            auto r = Call("GET", docs_ + "/" + id, "", owner_.access);
            std::string status = r.Str("status");
            if (status == "ready" || status == "failed") return r;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        ADD_FAILURE() << "document " << id << " was not ingested";
        return Call("GET", docs_ + "/" + id, "", owner_.access);
    }
    std::string Search(const std::string& query, const std::string& mode = "keyword") {
        auto r = Call("GET", "/v1/workspaces/" + owner_.workspace_id + "/knowledge/search?q=" + query + "&mode=" + mode,
                      "", owner_.access);
        EXPECT_EQ(r.status, 200) << r.raw;
        std::string out;
        if (r.status == 200)
            for (const auto& h : r.body.at("hits").as_array()) out += std::string(h.at("title").as_string()) + "|";
        return out;
    }
    Account owner_, stranger_;
    std::string docs_;
};

TEST_F(KnowledgeApiTest, JsonAndUploadedDocumentsAreIngestedAndFound) {
    auto json = Call("POST", docs_,
                     Json({{"title", "Returns"},
                           {"content", "# Returns\n\nItems can be **returned** within 30 days."},
                           {"content_type", "text/markdown"}}),
                     owner_.access);
    ASSERT_EQ(json.status, 201) << json.raw;
    EXPECT_EQ(json.Str("status"), "queued");
    EXPECT_EQ(json.Header("Location"), docs_ + "/" + json.Str("id"));
    auto upload = Call("POST", docs_ + "?title=Lieferung", "<h1>Lieferzeiten</h1><p>Pakete kommen in drei Tagen.</p>",
                       owner_.access, {{"Content-Type", "text/html; charset=utf-8"}});
    ASSERT_EQ(upload.status, 201) << upload.raw;
    EXPECT_EQ(upload.Str("content_type"), "text/html");

    auto ready = WaitIngested(json.Str("id"));
    EXPECT_EQ(ready.Str("status"), "ready") << ready.raw;
    EXPECT_EQ(ready.body.at("chunk_count").as_int64(), 1);
    EXPECT_TRUE(ready.body.at("error").is_null());
    EXPECT_EQ(WaitIngested(upload.Str("id")).Str("status"), "ready");

    EXPECT_EQ(Search("return"), "Returns|");
    EXPECT_EQ(Search("Paket"), "Lieferung|");  // "Pakete" and "Paket" share their German stem
    EXPECT_EQ(Search("return", "hybrid"), "Returns|");
    auto hit = Call("GET", "/v1/workspaces/" + owner_.workspace_id + "/knowledge/search?q=returned", "", owner_.access);
    ASSERT_EQ(hit.status, 200);
    const auto& first = hit.body.at("hits").at(0);
    EXPECT_EQ(std::string(first.at("snippet").as_string()), "Items can be <mark>returned</mark> within 30 days.");
    EXPECT_EQ(first.at("language").as_string(), "en");
    EXPECT_EQ(first.at("document_id").as_string(), json.Str("id"));

    auto list = Call("GET", docs_, "", owner_.access);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body.at("items").as_array().size(), 2u);
    EXPECT_EQ(list.body.at("items").at(0).at("title").as_string(), "Lieferung");  // newest first

    EXPECT_EQ(Call("DELETE", docs_ + "/" + json.Str("id"), "", owner_.access).status, 204);
    EXPECT_EQ(Search("return"), "");
    EXPECT_EQ(Call("GET", docs_ + "/" + json.Str("id"), "", owner_.access).status, 404);
}

TEST_F(KnowledgeApiTest, BadInputAnswersProblemsAndStrangersSeeNothing) {
    auto wrong_type = Call("POST", docs_, "\x89PNG", owner_.access, {{"Content-Type", "image/png"}});
    EXPECT_EQ(wrong_type.status, 415) << wrong_type.raw;
    auto missing = Call("POST", docs_, Json({{"title", ""}}), owner_.access);
    EXPECT_EQ(missing.status, 400) << missing.raw;
    auto big =
        Call("POST", docs_ + "?title=Big", std::string(5000, 'a'), owner_.access, {{"Content-Type", "text/plain"}});
    EXPECT_EQ(big.status, 413) << big.raw;
    auto bad_k =
        Call("GET", "/v1/workspaces/" + owner_.workspace_id + "/knowledge/search?q=x&k=zero", "", owner_.access);
    EXPECT_EQ(bad_k.status, 400);
    auto bad_mode =
        Call("GET", "/v1/workspaces/" + owner_.workspace_id + "/knowledge/search?q=x&mode=psychic", "", owner_.access);
    EXPECT_EQ(bad_mode.status, 400);
    auto vector =
        Call("GET", "/v1/workspaces/" + owner_.workspace_id + "/knowledge/search?q=x&mode=vector", "", owner_.access);
    EXPECT_EQ(vector.status, 503);
    EXPECT_EQ(vector.Code(), "embeddings_unavailable");

    auto pdf = Call("POST", docs_ + "?title=Scan", "%PDF-1.4 not really", owner_.access,
                    {{"Content-Type", "application/pdf"}});
    ASSERT_EQ(pdf.status, 201);
    auto failed = WaitIngested(pdf.Str("id"));
    EXPECT_EQ(failed.Str("status"), "failed");
    EXPECT_NE(failed.Str("error").find("cannot be read"), std::string::npos) << failed.raw;

    EXPECT_EQ(Call("GET", docs_, "", stranger_.access).status, 404);
    EXPECT_EQ(Call("GET", docs_ + "/" + pdf.Str("id"), "", stranger_.access).status, 404);
    EXPECT_EQ(Call("GET", "/v1/workspaces/" + stranger_.workspace_id + "/knowledge/documents/" + pdf.Str("id"), "",
                   stranger_.access)
                  .status,
              404);
    EXPECT_EQ(Call("POST", docs_, Json({{"title", "x"}, {"content", "y"}}), stranger_.access).status, 404);
}

TEST_F(KnowledgeApiTest, PatternsAreSearchedShownInALocaleAndMadeIntoFlows) {
    auto found = Call("GET", "/v1/patterns?q=Warenkorb&locale=de&k=1", "", owner_.access);
    ASSERT_EQ(found.status, 200) << found.raw;
    ASSERT_EQ(found.body.at("hits").as_array().size(), 1u);
    EXPECT_EQ(found.body.at("hits").at(0).at("id").as_string(), "shopping-cart");
    auto all = Call("GET", "/v1/patterns?k=50", "", owner_.access);
    EXPECT_GE(all.body.at("hits").as_array().size(), 40u);

    auto shown = Call("GET", "/v1/patterns/password-reset?locale=es", "", owner_.access);
    ASSERT_EQ(shown.status, 200) << shown.raw;
    EXPECT_EQ(shown.Str("locale"), "es");
    EXPECT_EQ(shown.body.at("locales").as_array().size(), 4u);
    EXPECT_GE(shown.body.at("flow").at("nodes").as_array().size(), 5u);
    EXPECT_EQ(Call("GET", "/v1/patterns/nope", "", owner_.access).status, 404);
    EXPECT_EQ(Call("GET", "/v1/patterns/password-reset?locale=it", "", owner_.access).status, 400);

    auto flow =
        Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows/from-pattern",
             Json({{"pattern_id", "password-reset"}, {"locale", "fr"}, {"name", "Réinitialisation"}}), owner_.access);
    ASSERT_EQ(flow.status, 201) << flow.raw;
    EXPECT_EQ(flow.Str("name"), "Réinitialisation");
    EXPECT_EQ(flow.body.at("nodes").as_array().size(), shown.body.at("flow").at("nodes").as_array().size());
    auto valid = Call("GET", "/v1/flows/" + flow.Str("id") + "/validate", "", owner_.access);
    EXPECT_TRUE(valid.body.at("valid").as_bool()) << valid.raw;
    auto versions = Call("GET", "/v1/flows/" + flow.Str("id") + "/versions", "", owner_.access);
    EXPECT_EQ(versions.body.at("items").at(0).at("source").as_string(), "import");
    auto unknown = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows/from-pattern",
                        Json({{"pattern_id", "nope"}}), owner_.access);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows/from-pattern",
                   Json({{"pattern_id", "login"}}), stranger_.access)
                  .status,
              404);
}

}  // namespace
}  // namespace uxf::testing
