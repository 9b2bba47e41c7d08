#pragma once
#include <string>
#include <string_view>

namespace uxf {

/// A new type-prefixed id, `<prefix>_` + 26 lowercase base32 characters carrying 128 random bits,
/// e.g. `usr_5k2...`. Prefixes: usr, wsp, ses (refresh-token family), rtk, evt, aud ...
std::string NewId(std::string_view prefix);

/// True when `id` has the shape NewId(prefix) produces. Cheap input check before a lookup.
bool IsId(std::string_view id, std::string_view prefix);

}  // namespace uxf
