// Gemini's `responseSchema` is a subset of the OpenAPI 3.0 schema object, not JSON Schema: one type per schema
// (upper-case, as the API's Type enum), `nullable` instead of a "null" type, and no additionalProperties, $schema,
// const, $ref... A JSON Schema is converted to it by keeping what Gemini accepts.
#pragma once
#include <string>
#include <string_view>

namespace uxf::ai {

/// `json_schema` (JSON Schema text) as Gemini's Schema (JSON text): unknown keywords dropped, type arrays with
/// "null" and anyOf with a {"type": "null"} branch as `nullable`, `const` as a one-value enum, and every object's
/// `propertyOrdering` set to its properties' order. Throws std::invalid_argument when the text is not JSON.
std::string ToGeminiSchema(std::string_view json_schema);

}  // namespace uxf::ai
