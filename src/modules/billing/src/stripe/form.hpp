// Stripe's request bodies: application/x-www-form-urlencoded with nested keys, the way stripe-node writes them.
#pragma once
#include <string>

namespace boost::json {
class object;  // the JSON types stay out of headers (scripts/check-layering.sh)
}

namespace uxf::billing::stripe {

/// `params` as Stripe's form encoding, members in their stored order, exactly as stripe-node's
/// stringifyRequestData (qs with `arrayFormat: "indices"`) writes them:
/// - an object member is `parent[key]=v`, an array element `parent[0]=v` (indexed; an element that is an object is
///   `parent[0][key]=v`); an empty object or array sends nothing;
/// - booleans are `true`/`false`, integers in decimal, other numbers in their shortest form (`1.5`);
/// - null is sent as `key=`, like the empty string: to Stripe both mean "unset this field";
/// - keys and values are percent-encoded (UTF-8, upper-case hex) except RFC 3986's unreserved characters and the
///   square brackets, which stripe-node leaves literal for readability (Stripe reads `%5B`/`%5D` the same).
/// Throws std::invalid_argument for a number that is not finite (no JSON text holds one).
std::string FormEncode(const boost::json::object& params);

}  // namespace uxf::billing::stripe
