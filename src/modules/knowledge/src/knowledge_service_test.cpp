#include "uxf/knowledge/knowledge_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "embedding/test_files.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/identity/testing.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/knowledge/embeddings.hpp"
#include "uxf/knowledge/migrations.hpp"
#include "uxf/knowledge/patterns.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::knowledge {
namespace {

// A document of the retrieval suite's test data (src/modules/knowledge/testdata/documents/).
std::string TestDocument(const std::string& name) {
    std::ifstream in(std::string(UXF_KNOWLEDGE_TESTDATA) + "/documents/" + name + ".md");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class KnowledgeServiceTest : public ::testing::Test {
  protected:
    KnowledgeServiceTest() {
        db::Migrate(tdb_.db(), identity::Migrations());
        db::Migrate(tdb_.db(), db::PlatformMigrations());
        db::Migrate(tdb_.db(), Migrations());
        auto owner = auth_.Register({"owner@example.com", "correct horse battery", "Owner"}, {});
        owner_ = {"req_1", "127.0.0.1", "t", owner->user.id};
        ws_ = owner->workspace->id;
        auto viewer = auth_.Register({"viewer@example.com", "correct horse battery", "Viewer"}, {});
        viewer_ = {"req_2", "127.0.0.1", "t", viewer->user.id};
        other_ws_ = viewer->workspace->id;
        (void)workspaces_.AddMember(owner_.user_id, ws_, "viewer@example.com", identity::Role::kViewer, owner_);
        service_.RegisterJobs(runner_);
    }

    Document Add(const std::string& title, const std::string& type, const std::string& content,
                 const RequestMeta* as = nullptr, const std::string& ws = "") {
        auto d = service_.Create(ws.empty() ? ws_ : ws, {title, type, content}, as ? *as : owner_);
        EXPECT_TRUE(d.ok()) << d.error().message;
        return d.ok() ? *d : Document{};
    }
    // The real local provider over a tiny vectors file (embedding/test_files.hpp).
    std::shared_ptr<EmbeddingProvider> TinyProvider() {
        using namespace embedding::testing;
        WriteFile(dir_ / "package.json", TinyPackageJson());
        WriteTinyDictionaries(dir_.str());
        ImportWordVectors(dir_ / "package.json", dir_.str(), dir_ / "tiny.vectors");
        std::string why;
        std::shared_ptr<EmbeddingProvider> tiny = OpenLocalEmbeddings(dir_ / "tiny.vectors", why);
        EXPECT_TRUE(tiny) << why;
        return tiny;
    }
    void RunJobs() {
        while (runner_.RunOne()) {
        }
    }
    std::string Search(const std::string& q, const std::string& ws = "", const RequestMeta* as = nullptr,
                       const std::string& document = "") {
        auto hits = service_.Search(ws.empty() ? ws_ : ws, {q, 10, SearchMode::kKeyword, document}, as ? *as : owner_);
        if (!hits.ok()) return "error: " + hits.error().slug;
        std::string out;
        for (const auto& h : *hits) out += h.title + "|";
        return out;
    }

    embedding::testing::TempDir dir_;
    uxf::testing::TestDatabase tdb_;
    ManualClock clock_{1'800'000'000LL * kSecond};
    events::InProcessEventBus bus_;
    identity::AuthService auth_{tdb_.db(), bus_, clock_, identity::testing::FastSettings()};
    identity::WorkspaceService workspaces_{tdb_.db(), bus_, clock_};
    jobs::JobSettings job_settings_;
    KnowledgeService service_{tdb_.db(), bus_, clock_, workspaces_, job_settings_, KnowledgeSettings{}};
    jobs::Runner runner_{tdb_.db(), bus_, clock_, job_settings_};
    RequestMeta owner_, viewer_;
    std::string ws_, other_ws_;
};

TEST_F(KnowledgeServiceTest, ADocumentIsQueuedThenChunkedAndFoundByItsStemmedWords) {
    Document d = Add("Refund policy", "text/markdown", TestDocument("refund-policy"));
    EXPECT_EQ(d.status, DocumentStatus::kQueued);
    EXPECT_EQ(d.content_type, "text/markdown");
    EXPECT_EQ(Search("refunds"), "");  // not indexed before its job ran
    RunJobs();
    auto ready = service_.Get(ws_, d.id, owner_);
    ASSERT_TRUE(ready.ok());
    EXPECT_EQ(ready->status, DocumentStatus::kReady) << ready->error;
    EXPECT_GE(ready->chunk_count, 1);
    // "refunded" and "refund" share their stem; the hits are chunks: one per section of the document here.
    std::string hits_text = Search("REFUNDED"), expected;
    for (int i = 0; i < ready->chunk_count && expected.size() < hits_text.size(); ++i) expected += "Refund policy|";
    EXPECT_EQ(hits_text, expected);
    EXPECT_FALSE(hits_text.empty());
    auto hits = service_.Search(ws_, {"refund", 10, SearchMode::kHybrid, ""}, owner_);
    ASSERT_TRUE(hits.ok());
    ASSERT_FALSE(hits->empty());
    EXPECT_EQ(hits->front().document_id, d.id);
    EXPECT_EQ(hits->front().language, "en");
    EXPECT_NE(hits->front().snippet.find("<mark>"), std::string::npos) << hits->front().snippet;
    EXPECT_GT(hits->front().score, 0);
}

TEST_F(KnowledgeServiceTest, GermanSpanishAndFrenchWordsAreFoundByTheirStems) {
    Add("Bestellungen", "text/plain",
        "Bestellungen werden innerhalb von zwei Tagen versandt. Jede Bestellung wird geprüft.");
    Add("Pagos", "text/plain", "El pago se realiza con tarjeta o transferencia bancaria. Puedes pagar en tres plazos.");
    Add("Commandes", "text/plain", "Les commandes sont expédiées sous deux jours. Chaque commande est vérifiée.");
    RunJobs();
    EXPECT_EQ(Search("Bestellung"), "Bestellungen|");
    EXPECT_EQ(Search("pagar"), "Pagos|");
    EXPECT_EQ(Search("commande"), "Commandes|");
}

TEST_F(KnowledgeServiceTest, HtmlAndMarkupAreReadAsText) {
    Add("Page", "text/html",
        "<html><head><script>var secret = 'scriptword';</script><style>.x{}</style></head><body><h1>Help "
        "&amp; support</h1><p>Call our <b>hotline</b> any&nbsp;day.</p></body></html>");
    RunJobs();
    EXPECT_EQ(Search("hotline"), "Page|");
    EXPECT_EQ(Search("scriptword"), "");
    EXPECT_EQ(Search("support"), "Page|");
}

TEST_F(KnowledgeServiceTest, WorkspacesNeverSeeEachOthersDocuments) {
    Document mine = Add("Secret plan", "text/plain", "The launch codeword is pineapple.");
    Add("Their doc", "text/plain", "Another pineapple document.", &viewer_, other_ws_);
    RunJobs();
    EXPECT_EQ(Search("pineapple"), "Secret plan|");
    EXPECT_EQ(Search("pineapple", other_ws_, &viewer_), "Their doc|");
    EXPECT_EQ(Search("pineapple", other_ws_, &owner_), "error: not_found");  // not a member there
    EXPECT_EQ(service_.Get(other_ws_, mine.id, viewer_).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_.Delete(other_ws_, mine.id, viewer_).error().code, ErrorCode::kNotFound);
    // A viewer of the owner's workspace reads and searches, but cannot write.
    EXPECT_EQ(Search("pineapple", ws_, &viewer_), "Secret plan|");
    EXPECT_EQ(service_.Create(ws_, {"x", "text/plain", "y"}, viewer_).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(service_.Delete(ws_, mine.id, viewer_).error().code, ErrorCode::kForbidden);
}

TEST_F(KnowledgeServiceTest, DeletingRemovesTheChunksFromSearchAndStopsTheIngestion) {
    Document a = Add("Alpha", "text/plain", "alpha bravo");
    Document b = Add("Beta", "text/plain", "bravo charlie");
    RunJobs();
    EXPECT_EQ(Search("bravo").size(), std::string("Alpha|Beta|").size());
    ASSERT_TRUE(service_.Delete(ws_, a.id, owner_).ok());
    EXPECT_EQ(Search("bravo"), "Beta|");
    EXPECT_EQ(service_.Get(ws_, a.id, owner_).error().code, ErrorCode::kNotFound);
    Document c = Add("Gamma", "text/plain", "delta echo");
    ASSERT_TRUE(service_.Delete(ws_, c.id, owner_).ok());  // before its job ran
    RunJobs();
    EXPECT_EQ(Search("delta"), "");
    EXPECT_EQ(Search("charlie", "", nullptr, b.id), "Beta|");
    EXPECT_EQ(Search("charlie", "", nullptr, a.id), "");
}

TEST_F(KnowledgeServiceTest, BadInputIsRefusedAndUnreadableDocumentsFail) {
    auto none = service_.Create(ws_, {" ", "image/png", ""}, owner_);
    ASSERT_FALSE(none.ok());
    std::string fields;
    for (const auto& f : none.error().errors) fields += f.field + ";";
    EXPECT_EQ(fields, "title;content_type;content;");
    auto control = service_.Create(ws_, {"Tab\there", "text/plain", "x"}, owner_);  // a title is one line
    ASSERT_FALSE(control.ok());
    EXPECT_EQ(control.error().errors.at(0).field, "title");
    EXPECT_NE(control.error().errors.at(0).message.find("control characters"), std::string::npos);
    EXPECT_EQ(service_.Create(ws_, {std::string(201, 'x'), "text/plain", "x"}, owner_).error().errors.at(0).field,
              "title");
    KnowledgeSettings small;
    small.max_document_bytes = 10;
    KnowledgeService tiny(tdb_.db(), bus_, clock_, workspaces_, job_settings_, small);
    EXPECT_EQ(tiny.Create(ws_, {"t", "text/plain", "more than ten bytes"}, owner_).error().code,
              ErrorCode::kPayloadTooLarge);
    Document pdf = Add("Broken", "application/pdf", "%PDF-1.4 this is not really a PDF");
    Document empty = Add("Empty", "text/html", "<script>only()</script>");
    RunJobs();
    auto p = service_.Get(ws_, pdf.id, owner_);
    EXPECT_EQ(p->status, DocumentStatus::kFailed);
    EXPECT_NE(p->error.find("cannot be read"), std::string::npos) << p->error;
    EXPECT_EQ(service_.Get(ws_, empty.id, owner_)->status, DocumentStatus::kFailed);
    auto k = service_.Search(ws_, {"x", 500, SearchMode::kKeyword, ""}, owner_);
    EXPECT_EQ(k.error().errors.at(0).field, "k");
}

TEST_F(KnowledgeServiceTest, PatternsAreFoundByTheWordsOfAnyOfTheirLanguages) {
    service_.IndexPatterns();
    service_.IndexPatterns();  // again at the next start: entries are replaced, not added
    auto ids = [&](const std::string& q, const std::string& locale = "en") {
        auto hits = service_.SearchPatterns(q, 3, locale);
        EXPECT_TRUE(hits.ok());
        std::string out;
        for (const auto& h : *hits) out += h.id + "|";
        return out;
    };
    // By words alone, the login pattern (its "Forgot password?" link, its password errors) ranks with the reset
    // flow; both are in the top three in every language.
    for (const auto& [q, locale] :
         std::vector<std::pair<std::string, std::string>>{{"password reset", "en"},
                                                          {"Passwort vergessen", "de"},
                                                          {"restablecer la contraseña", "es"},
                                                          {"réinitialiser le mot de passe", "fr"}})
        EXPECT_NE(ids(q, locale).find("password-reset|"), std::string::npos) << q;
    auto de = service_.SearchPatterns("Warenkorb", 1, "de");
    ASSERT_TRUE(de.ok());
    ASSERT_EQ(de->size(), 1u);
    EXPECT_EQ(de->front().id, "shopping-cart");
    EXPECT_EQ(de->front().name, FindPattern("shopping-cart")->Text("de").name);
    auto all = service_.SearchPatterns("", 50, "fr");
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), std::min<std::size_t>(50, BuiltInPatterns().size()));
    EXPECT_EQ(service_.SearchPatterns("x", 0, "en").error().errors.at(0).field, "k");
}

// Search by meaning with the real local provider over a tiny vectors file (embedding/test_files.hpp): words the
// documents do not use find them, in English and in German, and hybrid search fuses both rankings.
TEST_F(KnowledgeServiceTest, SearchByMeaningFindsWhatWordsDoNot) {
    auto tiny = TinyProvider();
    ASSERT_TRUE(tiny);
    KnowledgeService service(tdb_.db(), bus_, clock_, workspaces_, job_settings_, KnowledgeSettings{});
    service.SetEmbeddings(tiny);
    jobs::Runner runner(tdb_.db(), bus_, clock_, job_settings_);
    service.RegisterJobs(runner);
    auto add = [&](const std::string& title, const std::string& text) {
        auto d = service.Create(ws_, {title, "text/plain", text}, owner_);
        EXPECT_TRUE(d.ok());
        return d.ok() ? d->id : std::string();
    };
    std::string refunds = add("Refunds", "refund money");
    add("Shipping", "change shipping address");
    add("Photos", "change photo");
    while (runner.RunOne()) {
    }
    auto titles = [&](const std::string& q, SearchMode mode, const std::string& document = "") {
        auto hits = service.Search(ws_, {q, 2, mode, document}, owner_);
        EXPECT_TRUE(hits.ok()) << hits.error().message;
        std::string out;
        for (const auto& h : *hits) out += h.title + "|";
        return out;
    };
    EXPECT_EQ(titles("reimbursement", SearchMode::kKeyword), "");  // no document says it
    EXPECT_EQ(titles("reimbursement", SearchMode::kVector).substr(0, 8), "Refunds|");
    EXPECT_EQ(titles("reimbursement", SearchMode::kHybrid).substr(0, 8), "Refunds|");
    EXPECT_EQ(titles("Erstattung", SearchMode::kVector).substr(0, 8), "Refunds|");    // German, English document
    EXPECT_EQ(titles("address", SearchMode::kHybrid).substr(0, 9), "Shipping|");      // both rankings agree
    EXPECT_EQ(titles("shipping address", SearchMode::kVector, refunds), "Refunds|");  // only that document
}

// With the real word vectors (UXFLOW_TEST_VECTORS_FILE, skipped without), patterns are found by meaning: queries
// that share no word with the pattern's text in their language. Written before measuring.
TEST_F(KnowledgeServiceTest, PatternsAreFoundByMeaningWithTheRealVectors) {
    const char* file = std::getenv("UXFLOW_TEST_VECTORS_FILE");
    if (!file) GTEST_SKIP() << "UXFLOW_TEST_VECTORS_FILE is not set";
    std::string why;
    std::shared_ptr<EmbeddingProvider> real = OpenLocalEmbeddings(file, why);
    ASSERT_TRUE(real) << why;
    service_.IndexPatterns();
    auto top3 = [&](const std::string& q, const std::string& locale) {
        auto hits = service_.SearchPatterns(q, 3, locale);
        EXPECT_TRUE(hits.ok());
        std::string out;
        for (const auto& h : *hits) out += h.id + "|";
        return out;
    };
    std::string without = top3("I cannot remember my secret code to get in", "en");
    EXPECT_EQ(without.find("password-reset|"), std::string::npos) << without;  // words alone miss it
    service_.SetEmbeddings(real);
    std::string with = top3("I cannot remember my secret code to get in", "en");
    EXPECT_NE(with.find("password-reset|"), std::string::npos) << with << " (by words: " << without << ")";
    // Known weakness, printed rather than asserted: when first measured this German query ranked order-tracking,
    // delete-account and help-center-search above return-refund-request (FreeDict knows "zurückschicken" and
    // "Geld", not "wiederhaben", and the pattern's German text says "Rücksendung" and "Erstattung").
    std::string de = top3("Ich will die Ware zurückschicken und mein Geld wiederhaben", "de");
    if (de.find("return-refund-request|") == std::string::npos)
        std::printf("known weakness: the German return query found %s\n", de.c_str());
}

// Counts the texts it embeds, for the query cache.
class CountingProvider : public EmbeddingProvider {
  public:
    explicit CountingProvider(std::shared_ptr<EmbeddingProvider> inner, std::string model = "")
        : inner_(std::move(inner)), model_(std::move(model)) {}
    std::string provider() const override { return inner_->provider(); }
    std::string model() const override { return model_.empty() ? inner_->model() : model_; }
    std::size_t dimensions() const override { return inner_->dimensions(); }
    std::vector<std::vector<float>> Embed(std::span<const std::string> texts,
                                          std::span<const std::string> languages) override {
        embedded += texts.size();
        return inner_->Embed(texts, languages);
    }
    std::atomic<std::size_t> embedded = 0;

  private:
    std::shared_ptr<EmbeddingProvider> inner_;
    std::string model_;
};

// Two processes over one database, each with its own in-memory vector index: what one deletes, the other never
// serves again, and what one ingests, the other finds at its next search (the workspace's change counter).
TEST_F(KnowledgeServiceTest, VectorIndexesOfTwoProcessesFollowEachOthersWrites) {
    auto tiny = TinyProvider();
    ASSERT_TRUE(tiny);
    auto counting = std::make_shared<CountingProvider>(tiny);
    KnowledgeService a(tdb_.db(), bus_, clock_, workspaces_, job_settings_, KnowledgeSettings{});
    KnowledgeService b(tdb_.db(), bus_, clock_, workspaces_, job_settings_, KnowledgeSettings{});
    a.SetEmbeddings(counting);
    b.SetEmbeddings(tiny);
    jobs::Runner runner(tdb_.db(), bus_, clock_, job_settings_);
    b.RegisterJobs(runner);
    auto add = [&](const std::string& title, const std::string& text) {
        auto d = b.Create(ws_, {title, "text/plain", text}, owner_);
        EXPECT_TRUE(d.ok());
        while (runner.RunOne()) {
        }
        return d.ok() ? d->id : std::string();
    };
    std::string refunds = add("Refunds", "refund money");
    add("Photos", "change photo");
    auto titles = [&](KnowledgeService& s, const std::string& q) {
        auto hits = s.Search(ws_, {q, 5, SearchMode::kVector, ""}, owner_);
        EXPECT_TRUE(hits.ok()) << hits.error().message;
        std::string out;
        for (const auto& h : *hits) out += h.title + "|";
        return out;
    };
    EXPECT_EQ(titles(a, "reimbursement").substr(0, 8), "Refunds|");
    std::size_t embedded = counting->embedded;
    ASSERT_TRUE(b.Delete(ws_, refunds, owner_).ok());
    EXPECT_EQ(titles(a, "reimbursement").find("Refunds"), std::string::npos);
    EXPECT_EQ(counting->embedded, embedded);  // the query's vector came from the cache
    add("Money back", "refund money");
    EXPECT_EQ(titles(a, "reimbursement").substr(0, 11), "Money back|");
    EXPECT_EQ(titles(a, "reimbursement").find("Refunds"), std::string::npos);
    // Another workspace's index holds nothing of this one.
    auto other = a.Search(other_ws_, {"reimbursement", 5, SearchMode::kVector, ""}, viewer_);
    ASSERT_TRUE(other.ok());
    EXPECT_TRUE(other->empty());
}

// Chunks ingested without a provider, or with another model, get vectors of the current one from a job per
// workspace; until then search by meaning does not see them.
TEST_F(KnowledgeServiceTest, ChangingTheProviderReembedsTheChunksAsAJob) {
    std::string refunds = Add("Refunds", "text/plain", "refund money").id;  // service_ has no provider
    RunJobs();
    auto tiny = TinyProvider();
    ASSERT_TRUE(tiny);
    auto renamed = std::make_shared<CountingProvider>(tiny, "tiny-2");
    for (auto provider : std::vector<std::shared_ptr<EmbeddingProvider>>{tiny, renamed}) {
        KnowledgeService s(tdb_.db(), bus_, clock_, workspaces_, job_settings_, KnowledgeSettings{});
        s.SetEmbeddings(provider);
        jobs::Runner runner(tdb_.db(), bus_, clock_, job_settings_);
        s.RegisterJobs(runner);
        auto vector_hits = [&] {
            auto hits = s.Search(ws_, {"reimbursement", 5, SearchMode::kVector, ""}, owner_);
            EXPECT_TRUE(hits.ok());
            return hits.ok() ? hits->size() : 0;
        };
        EXPECT_EQ(vector_hits(), 0u) << provider->model();
        EXPECT_EQ(s.ScheduleReembedding(), 1u);
        EXPECT_EQ(s.ScheduleReembedding(), 0u);  // one is already waiting
        while (runner.RunOne()) {
        }
        EXPECT_EQ(vector_hits(), 1u) << provider->model();
        EXPECT_EQ(s.ScheduleReembedding(), 0u);  // nothing left on another model
    }
    EXPECT_EQ(renamed->embedded, 2u);  // the chunk once, the query once
}

// A provider that refuses (a bad key) fails the document with its message; one that is down (429, 5xx, network)
// leaves it queued for a retry of the job.
TEST_F(KnowledgeServiceTest, ProviderFailuresFailTheDocumentOrRetryTheJob) {
    struct Failing : EmbeddingProvider {
        bool transient = false;
        std::string provider() const override { return "openai"; }
        std::string model() const override { return "m"; }
        std::size_t dimensions() const override { return 3; }
        std::vector<std::vector<float>> Embed(std::span<const std::string>, std::span<const std::string>) override {
            throw EmbeddingError(transient ? "openai: 503 overloaded" : "openai: 401 invalid api key", transient);
        }
    };
    auto failing = std::make_shared<Failing>();
    KnowledgeService s(tdb_.db(), bus_, clock_, workspaces_, job_settings_, KnowledgeSettings{});
    s.SetEmbeddings(failing);
    jobs::Runner runner(tdb_.db(), bus_, clock_, job_settings_);
    s.RegisterJobs(runner);
    auto refused = s.Create(ws_, {"Refused", "text/plain", "refund money"}, owner_);
    ASSERT_TRUE(refused.ok());
    while (runner.RunOne()) {
    }
    auto doc = s.Get(ws_, refused->id, owner_);
    EXPECT_EQ(doc->status, DocumentStatus::kFailed);
    EXPECT_NE(doc->error.find("401 invalid api key"), std::string::npos) << doc->error;
    failing->transient = true;
    auto later = s.Create(ws_, {"Later", "text/plain", "refund money"}, owner_);
    ASSERT_TRUE(later.ok());
    while (runner.RunOne()) {
    }
    doc = s.Get(ws_, later->id, owner_);
    EXPECT_NE(doc->status, DocumentStatus::kFailed);
    EXPECT_NE(doc->status, DocumentStatus::kReady);
    auto search = s.Search(ws_, {"refund", 5, SearchMode::kVector, ""}, owner_);
    ASSERT_FALSE(search.ok());
    EXPECT_EQ(search.error().slug, "embeddings_unavailable");
    auto words = s.Search(ws_, {"refund", 5, SearchMode::kHybrid, ""}, owner_);  // falls back to words
    ASSERT_TRUE(words.ok());
}

TEST_F(KnowledgeServiceTest, ListsNewestFirstByPages) {
    for (int i = 0; i < 3; ++i) {
        Add("Doc " + std::to_string(i), "text/plain", "text");
        clock_.Advance(kSecond);
    }
    auto first = service_.List(ws_, 2, "", owner_);
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first->items.size(), 2u);
    EXPECT_EQ(first->items[0].title, "Doc 2");
    auto rest = service_.List(ws_, 2, first->next_cursor, owner_);
    ASSERT_EQ(rest->items.size(), 1u);
    EXPECT_EQ(rest->items[0].title, "Doc 0");
    EXPECT_TRUE(rest->next_cursor.empty());
}

}  // namespace
}  // namespace uxf::knowledge
