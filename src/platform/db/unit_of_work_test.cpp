#include "uxf/platform/unit_of_work.hpp"

#include <gtest/gtest.h>

#include "uxf/core/result.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::db {
namespace {

class UnitOfWorkTest : public ::testing::Test {
  protected:
    void SetUp() override {
        tdb_.db().Write([](Tx& tx) { tx.Exec("CREATE TABLE uow (id TEXT PRIMARY KEY, n BIGINT NOT NULL)"); });
        bus_.Subscribe("", [this](const events::Event& e) {
            published_.push_back(e.name);
            // Published after commit: the row the event is about is visible to a new transaction.
            visible_.push_back(Count() > 0);
        });
    }
    std::int64_t Count() {
        return tdb_.db().Read([](Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM uow")->Int(0); });
    }
    uxf::testing::TestDatabase tdb_;
    events::InProcessEventBus bus_;
    std::vector<std::string> published_;
    std::vector<bool> visible_;
};

// Records what a completion was called with, and writes inside the same transaction.
struct RecordingCompletion final : Completion {
    void Complete(Tx& tx, const std::type_info& type, const void* value) override {
        ++calls;
        if (type == typeid(int)) last = *static_cast<const int*>(value);
        tx.Exec("INSERT INTO uow (id, n) VALUES ('answer', :n)", {std::int64_t{last}});
    }
    int calls = 0;
    int last = 0;
};

TEST_F(UnitOfWorkTest, PublishesAfterCommitInOrder) {
    RequestMeta meta;
    auto r = WriteAndPublish(tdb_.db(), bus_, meta, [](Tx& tx, PendingEvents& events) -> Result<int> {
        tx.Exec("INSERT INTO uow (id, n) VALUES ('a', 1)");
        events.push_back({"first"});
        events.push_back({"second"});
        return 7;
    });
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, 7);
    EXPECT_EQ(published_, (std::vector<std::string>{"first", "second"}));
    EXPECT_EQ(visible_, (std::vector<bool>{true, true}));
}

TEST_F(UnitOfWorkTest, AnErrorRollsBackAndPublishesNothing) {
    RecordingCompletion completion;
    RequestMeta meta{.completion = &completion};
    auto r = WriteAndPublish(tdb_.db(), bus_, meta, [](Tx& tx, PendingEvents& events) -> Result<int> {
        tx.Exec("INSERT INTO uow (id, n) VALUES ('a', 1)");
        events.push_back({"never"});
        return Error::Invalid("refused");
    });
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(published_.empty());
    EXPECT_EQ(completion.calls, 0);
    EXPECT_EQ(Count(), 0);
}

TEST_F(UnitOfWorkTest, ARetriedTransactionStartsWithNoPendingEvents) {
    RequestMeta meta;
    int runs = 0;
    auto r = WriteAndPublish(tdb_.db(), bus_, meta, [&](Tx& tx, PendingEvents& events) -> Result<void> {
        events.push_back({"run" + std::to_string(++runs)});
        tx.Exec("INSERT INTO uow (id, n) VALUES (:id, 1)", {"r" + std::to_string(runs)});
        if (runs == 1) throw RetryableError("forced transient failure");
        return Ok();
    });
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(published_, (std::vector<std::string>{"run2"}));
    EXPECT_EQ(Count(), 1);  // the first attempt rolled back
}

TEST_F(UnitOfWorkTest, TheCompletionCommitsWithTheWrite) {
    RecordingCompletion completion;
    RequestMeta meta{.completion = &completion};
    auto r = WriteAndPublish(tdb_.db(), bus_, meta, [](Tx& tx, PendingEvents&) -> Result<int> {
        tx.Exec("INSERT INTO uow (id, n) VALUES ('a', 1)");
        return 42;
    });
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(completion.calls, 1);
    EXPECT_EQ(completion.last, 42);
    auto answer = tdb_.db().Read([](Tx& tx) { return tx.QueryOne("SELECT n FROM uow WHERE id = 'answer'"); });
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->Int(0), 42);
}

// A one-statement read runs outside any transaction, sees committed rows, and is retried on a transient failure.
TEST_F(UnitOfWorkTest, ReadOneRunsOneStatementAndRetriesTransientFailures) {
    tdb_.db().Write([](Tx& tx) { tx.Exec("INSERT INTO uow (id, n) VALUES ('a', 5)"); });
    int runs = 0;
    auto n = tdb_.db().ReadOne([&](Tx& tx) {
        if (++runs == 1) throw RetryableError("forced transient failure");
        return tx.QueryOne("SELECT n FROM uow WHERE id = :id", {"a"})->Int(0);
    });
    EXPECT_EQ(n, 5);
    EXPECT_EQ(runs, 2);
}

}  // namespace
}  // namespace uxf::db
