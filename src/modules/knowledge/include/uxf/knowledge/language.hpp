// Which language a text is written in (CLD2), among those the knowledge module stems and translates.
#pragma once
#include <string>
#include <string_view>

namespace uxf::knowledge {

struct DetectedLanguage {
    std::string code;       ///< "en", "de", "es", "fr", or "other"
    bool reliable = false;  ///< CLD2's own judgement: short texts often are not
};

/// The language of UTF-8 plain text. A language other than the four, or none recognised, is "other".
DetectedLanguage DetectLanguage(std::string_view text);

}  // namespace uxf::knowledge
