#pragma once
#include <span>
#include <string_view>

namespace uxf {

/// A text file compiled into the binary by cmake/Embed.cmake.
struct EmbeddedFile {
    std::string_view name;
    std::string_view content;
};

}  // namespace uxf
