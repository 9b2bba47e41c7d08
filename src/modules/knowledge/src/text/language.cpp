#include "uxf/knowledge/language.hpp"

#include <cld2/public/compact_lang_det.h>

namespace uxf::knowledge {

DetectedLanguage DetectLanguage(std::string_view text) {
    bool reliable = false;
    CLD2::Language lang = CLD2::DetectLanguage(text.data(), static_cast<int>(text.size()), true, &reliable);
    std::string code = CLD2::LanguageCode(lang);
    if (code != "en" && code != "de" && code != "es" && code != "fr") return {"other", reliable};
    return {code, reliable};
}

}  // namespace uxf::knowledge
