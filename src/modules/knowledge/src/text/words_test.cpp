#include "words.hpp"

#include <gtest/gtest.h>

#include "uxf/knowledge/language.hpp"

namespace uxf::knowledge {
namespace {

std::string Joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += w + "|";
    return out;
}

TEST(Words, SplitLowerCaseAndKeepLettersOfEveryScript) {
    EXPECT_EQ(Joined(Words("Über-Größe: SCHNELL bestellen!")), "über|größe|schnell|bestellen|");
    EXPECT_EQ(Joined(Words("L'ÉTÉ à Paris — 20 €, naïve façon")), "l|été|à|paris|20|naïve|façon|");
    EXPECT_EQ(Joined(Words("¿Dónde está mi PEDIDO? Ñandú")), "dónde|está|mi|pedido|ñandú|");
    EXPECT_EQ(Joined(Words("ŁÓDŹ ΑΘΗΝΑ МОСКВА")), "łódź|αθηνα|москва|");
    EXPECT_EQ(Joined(Words("e-mail\t2FA\n\n👍ok")), "e|mail|2fa|ok|");
    EXPECT_EQ(Joined(Words(std::string("bad\xff\xfe"
                                       "byte\xc3"))),
              "bad|byte|");
    EXPECT_TRUE(Words("  ...  ").empty());
}

TEST(Words, SpansPointAtTheWordsAsWritten) {
    std::string text = "L'ÉTÉ, à Paris!";
    std::string out;
    for (auto s : WordSpans(text)) out += text.substr(s.offset, s.length) + "|";
    EXPECT_EQ(out, "L|ÉTÉ|à|Paris|");
    EXPECT_EQ(WordSpans(text).size(), Words(text).size());
}

TEST(Words, SnowballStemsJoinForms) {
    EXPECT_EQ(Stem("bestellungen", "de"), Stem("bestellung", "de"));
    EXPECT_EQ(Stem("pagar", "es"), Stem("pago", "es"));
    EXPECT_EQ(Stem("payments", "en"), Stem("payment", "en"));
    EXPECT_EQ(Stem("commandes", "fr"), Stem("commande", "fr"));
    EXPECT_NE(Stem("bestellungen", "de"), "bestellungen");
    EXPECT_EQ(Stem("bestellungen", "xx"), "bestellungen");  // no stemmer: the word itself
    EXPECT_TRUE(HasStemmer("fr"));
    EXPECT_FALSE(HasStemmer("other"));
}

TEST(Language, RecognisesTheFourLanguagesAndNamesTheRestOther) {
    EXPECT_EQ(DetectLanguage("The customer can cancel the order within fourteen days and gets a full refund.").code,
              "en");
    EXPECT_EQ(DetectLanguage("Der Kunde kann die Bestellung innerhalb von vierzehn Tagen stornieren und erhält "
                             "den vollen Betrag zurück.")
                  .code,
              "de");
    EXPECT_EQ(DetectLanguage("El cliente puede cancelar el pedido en un plazo de catorce días y recibe el reembolso "
                             "completo.")
                  .code,
              "es");
    EXPECT_EQ(DetectLanguage("Le client peut annuler la commande dans un délai de quatorze jours et obtient un "
                             "remboursement complet.")
                  .code,
              "fr");
    auto italian = DetectLanguage(
        "Il cliente può annullare l'ordine entro quattordici giorni e riceve un rimborso "
        "completo dell'importo pagato.");
    EXPECT_EQ(italian.code, "other");
    EXPECT_TRUE(italian.reliable);
}

TEST(Words, StopWordsAreThoseOfTheLanguageOrOfAnyOfTheFour) {
    EXPECT_TRUE(IsStopword("the", "en"));
    EXPECT_FALSE(IsStopword("the", "de"));
    EXPECT_TRUE(IsStopword("und", "de"));
    EXPECT_TRUE(IsStopword("und", ""));
    EXPECT_TRUE(IsStopword("los", "es"));
    EXPECT_TRUE(IsStopword("était", "fr"));
    EXPECT_FALSE(IsStopword("refund", ""));
    EXPECT_FALSE(IsStopword("the", "other"));  // no list: nothing is left out
}

}  // namespace
}  // namespace uxf::knowledge
