// A process that works on the credit ledger, for the tests of several processes on one database
// (tests/integration/billing_processes_test.cpp):
//   ledger_worker DATABASE_URL GO_FILE reserve WORKSPACE THREADS AMOUNT   each thread reserves AMOUNT once
//   ledger_worker DATABASE_URL GO_FILE renew WORKSPACE THREADS            each thread renews the free allowance (50)
// The threads start when GO_FILE appears, so two processes start together; prints how many succeeded.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "uxf/billing/ledger.hpp"
#include "uxf/platform/database.hpp"

int main(int argc, char** argv) {
    using namespace uxf;
    if (argc < 6) {
        std::fprintf(stderr, "usage: ledger_worker DATABASE_URL GO_FILE reserve|renew WORKSPACE THREADS [AMOUNT]\n");
        return 2;
    }
    std::string go = argv[2], mode = argv[3], ws = argv[4];
    int threads = std::stoi(argv[5]);
    db::DbSettings dbs;
    dbs.url = argv[1];
    dbs.pool_size = threads;
    auto db = db::OpenDatabase(dbs);
    SystemClock clock;
    billing::Ledger ledger(*db, clock, {.free_monthly_credits = 50});
    std::atomic<int> succeeded = 0, failed = 0;
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i)
        workers.emplace_back([&, i] {
            while (!std::filesystem::exists(go)) std::this_thread::sleep_for(std::chrono::microseconds(200));
            if (mode == "reserve") {
                auto hold = ledger.Reserve(ws, std::stoll(argv[6]),
                                           "gen_" + std::to_string(::getpid()) + "_" + std::to_string(i), "usr");
                hold.ok() ? ++succeeded : hold.error().slug == "insufficient_credits" ? ++failed : failed += 1000;
            } else {
                succeeded += db->Write([&](db::Tx& tx) { return ledger.RenewFreeAllowance(tx, ws); });
            }
        });
    for (auto& t : workers) t.join();
    std::printf("%d\n", failed >= 1000 ? -1 : succeeded.load());
    return 0;
}
