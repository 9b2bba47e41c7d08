#pragma once
#include <string>
#include <string_view>

namespace uxf {

/// A new type-prefixed id, `<prefix>_` + 26 lowercase base32 characters carrying 128 random bits,
/// e.g. `usr_5k2...`. Prefixes: usr, wsp, ses (refresh-token family), rtk, evt, aud ...
std::string NewId(std::string_view prefix);

/// The same shape from a per-thread generator seeded with 256 random bits: unique, but predictable to anyone who
/// saw the thread's earlier ids. For correlation ids (a request id per request) where a system call per id is
/// waste; never for anything that must be unguessable.
std::string NewCorrelationId(std::string_view prefix);

/// True when `id` has the shape NewId(prefix) produces. Cheap input check before a lookup.
bool IsId(std::string_view id, std::string_view prefix);

}  // namespace uxf
