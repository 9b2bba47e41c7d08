// Our Stripe webhook signatures against stripe-node's (tests/e2e/stripe/check.sh runs both sides):
//   stripe_signatures check <vectors.json>  VerifySignature must agree with stripe-node's verdict on every vector
//   stripe_signatures sign <out.json>       headers made by SignPayload, for stripe-node's constructEvent to check
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "stripe/signature.hpp"
#include "uxf/platform/json_text.hpp"

namespace json = boost::json;
using namespace uxf;
using namespace uxf::billing::stripe;

namespace {

int Check(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto vectors = json_text::Parse(text.str(), ec);
    if (ec || !vectors.is_array() || vectors.as_array().empty()) {
        std::cerr << "no vectors in " << path << "\n";
        return 1;
    }
    int disagreements = 0;
    for (const auto& v : vectors.as_array()) {
        const auto& o = v.as_object();
        SignatureCheck check;
        for (const auto& s : o.at("secrets").as_array()) check.secrets.emplace_back(s.as_string());
        check.now = o.at("now").to_number<std::int64_t>() * kSecond;
        check.tolerance = o.at("tolerance").to_number<std::int64_t>() * kSecond;
        const bool stripe_valid = o.at("valid").as_bool();
        auto ours = VerifySignature(o.at("header").as_string(), o.at("payload").as_string(), check);
        if (ours.ok() != stripe_valid) {
            std::cerr << fmt::format("disagree on \"{}\": stripe-node says {}, we say {}\n",
                                     std::string(o.at("name").as_string()), stripe_valid ? "valid" : "invalid",
                                     ours ? "valid" : ours.error().message);
            ++disagreements;
        }
    }
    std::cout << fmt::format("VerifySignature agrees with stripe-node on {} of {} vectors\n",
                             vectors.as_array().size() - disagreements, vectors.as_array().size());
    return disagreements ? 1 : 0;
}

int Sign(const std::string& path) {
    const char* payloads[] = {
        R"({"id":"evt_1","object":"event","type":"invoice.paid"})",
        "{\n  \"id\": \"evt_2\",\n  \"object\": \"event\",\n  \"data\": {\"name\": \"Zo\u00eb \u65e5\u672c "
        "\U0001F389\"}\n}",
        R"({"id":"evt_3","object":"event","text":"a\\b\"c,t=1,v1=00"})",
    };
    const char* secrets[] = {"whsec_ours_0123456789abcdef", "whsec_+/=with,comma"};
    json::array out;
    std::int64_t t = 1'760'000'000;
    for (const char* payload : payloads)
        for (const char* secret : secrets) {
            out.push_back(json::object{{"payload", payload},
                                       {"secret", secret},
                                       {"timestamp", t},
                                       {"header", fmt::format("t={},v1={}", t, SignPayload(secret, t, payload))}});
            t += 7;
        }
    std::ofstream(path, std::ios::binary) << json_text::Write(out);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string command = argc == 3 ? argv[1] : "";
    if (command == "check") return Check(argv[2]);
    if (command == "sign") return Sign(argv[2]);
    std::cerr << "usage: stripe_signatures check <vectors.json> | sign <out.json>\n";
    return 2;
}
