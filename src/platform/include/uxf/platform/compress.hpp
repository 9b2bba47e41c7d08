#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace uxf::compress {

/// Zstandard (RFC 8878) frames: what stored documents are packed with. Level 1 packs a flow's JSON about 8x at a
/// few hundred MB/s; the frame records its content size, so unpacking allocates once.
std::string Pack(std::string_view data, int level = 1);

/// The content of one frame made by Pack, or nullopt when `frame` is not one (corrupt, truncated, or larger than
/// `max_size` once unpacked).
std::optional<std::string> Unpack(std::string_view frame, std::size_t max_size = std::size_t{1} << 30);

}  // namespace uxf::compress
