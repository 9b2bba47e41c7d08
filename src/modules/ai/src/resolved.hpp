// A provider as a generation will use it: the server's settings, or the workspace's own key.
#pragma once
#include <cstdint>
#include <string>

#include "uxf/ai/generation_service.hpp"
#include "uxf/ai/settings.hpp"
#include "uxf/core/clock.hpp"
#include "uxf/platform/events.hpp"

namespace uxf::ai {

struct Generation;

struct GenerationService::Resolved {
    std::string name, model;
    std::int64_t credits = 0;
    ProviderSettings settings;
    bool workspace_key = false;
};

/// `generation.*` events carry the generation's id, status, flow and version.
events::Event GenerationEvent(const Generation& g, std::string name, const std::string& correlation, Micros now);

}  // namespace uxf::ai
