#include <gtest/gtest.h>

#include "uxf/platform/idempotency.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::idempotency {
namespace {

class StoreTest : public ::testing::Test {
  protected:
    StoreTest() { db::Migrate(tdb_.db(), db::PlatformMigrations()); }
    uxf::testing::TestDatabase tdb_;
    ManualClock clock_{1'800'000'000LL * kSecond};
    Store store_{tdb_.db(), clock_};
};

TEST_F(StoreTest, FirstProceedsThenRunningThenReplay) {
    EXPECT_EQ(store_.Begin("usr_1", "k1", "fp").outcome, Claim::Outcome::kProceed);
    EXPECT_EQ(store_.Begin("usr_1", "k1", "fp").outcome, Claim::Outcome::kRunning);
    EXPECT_EQ(store_.Begin("usr_1", "k1", "other").outcome, Claim::Outcome::kReused);
    EXPECT_EQ(store_.Begin("usr_2", "k1", "fp").outcome, Claim::Outcome::kProceed);  // scoped per user
    store_.Finish("usr_1", "k1", {201, "application/json", "Location: /x\n", "{\"id\":1}"});
    auto replay = store_.Begin("usr_1", "k1", "fp");
    ASSERT_EQ(replay.outcome, Claim::Outcome::kReplay);
    EXPECT_EQ(replay.response.status, 201);
    EXPECT_EQ(replay.response.body, "{\"id\":1}");
    EXPECT_EQ(replay.response.headers, "Location: /x\n");
}

TEST_F(StoreTest, AbandonedAndExpiredKeysCanBeUsedAgain) {
    ASSERT_EQ(store_.Begin("u", "k", "fp").outcome, Claim::Outcome::kProceed);
    store_.Abandon("u", "k");  // the request failed on our side
    EXPECT_EQ(store_.Begin("u", "k", "fp").outcome, Claim::Outcome::kProceed);
    clock_.Advance(2 * kMinute);  // its process died: taken over
    EXPECT_EQ(store_.Begin("u", "k", "fp").outcome, Claim::Outcome::kProceed);
    store_.Finish("u", "k", {200, "", "", "x"});
    clock_.Advance(25 * kHour);
    EXPECT_EQ(store_.Begin("u", "k", "another body").outcome, Claim::Outcome::kProceed);
}

}  // namespace
}  // namespace uxf::idempotency
