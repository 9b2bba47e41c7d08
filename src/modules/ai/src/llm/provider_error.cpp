#include "llm/model_client.hpp"

namespace uxf::ai {

std::string_view ProviderError::code() const {
    switch (kind_) {
        case Kind::kUnavailable:
            return "provider_unavailable";
        case Kind::kAuth:
            return "provider_auth";
        case Kind::kRejected:
            return "provider_rejected";
        case Kind::kRefused:
            return "provider_refused";
        case Kind::kMalformed:
            return "provider_malformed";
        case Kind::kNotUnderstood:
            return "instruction_not_understood";
    }
    return "provider_error";
}

}  // namespace uxf::ai
