#include "extract.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace uxf::knowledge {
namespace {

// "H1:text" for headings, "P:text" for paragraphs, one per line.
std::string Show(const Result<std::vector<Block>>& r) {
    if (!r.ok()) return "error: " + r.error().slug;
    std::string out;
    for (const auto& b : *r)
        out +=
            (b.kind == Block::Kind::kHeading ? "H" + std::to_string(b.level) : std::string("P")) + ":" + b.text + "\n";
    return out;
}

// A one-page PDF whose text layer says `lines` (Helvetica), with a correct cross-reference table.
std::string Pdf(const std::vector<std::string>& lines) {
    std::string content = "BT /F1 12 Tf 72 720 Td 14 TL\n";
    for (const auto& l : lines) content += "(" + l + ") Tj T*\n";
    content += "ET\n";
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> "
        ">>",
        fmt::format("<< /Length {} >>\nstream\n{}endstream", content.size(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, objects[i]);
    }
    std::size_t xref = pdf.size();
    pdf += fmt::format("xref\n0 {}\n0000000000 65535 f \n", objects.size() + 1);
    for (auto o : offsets) pdf += fmt::format("{:010} 00000 n \n", o);
    pdf += fmt::format("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n", objects.size() + 1, xref);
    return pdf;
}

TEST(Extract, ContentTypesFromMime) {
    EXPECT_EQ(ParseContentType("text/markdown; charset=utf-8"), ContentType::kMarkdown);
    EXPECT_EQ(ParseContentType(" TEXT/HTML "), ContentType::kHtml);
    EXPECT_EQ(ParseContentType("application/pdf"), ContentType::kPdf);
    EXPECT_EQ(ParseContentType("text/plain"), ContentType::kPlain);
    EXPECT_FALSE(ParseContentType("image/png"));
    EXPECT_EQ(MimeOf(ContentType::kHtml), "text/html");
}

TEST(Extract, PlainTextParagraphsAreSeparatedByBlankLines) {
    EXPECT_EQ(Show(ExtractBlocks(ContentType::kPlain, "First line\nsame   paragraph.\n\n\n  Second\t one.  \n")),
              "P:First line same paragraph.\nP:Second one.\n");
    EXPECT_EQ(Show(ExtractBlocks(ContentType::kPlain, std::string("bad \xff byte"))), "error: unreadable_document");
}

TEST(Extract, MarkdownHeadingsListsLinksAndCode) {
    auto md = R"(# Refund policy

Customers get **their money** back within *14 days* ([details](https://x.example/refunds)).
![A happy customer](smile.png)

Shipping
--------
- Standard: 3-5 days
- Express: `next_day` delivery
1. Pack the item
2) Send it

> Quoted _advice_ here.

| Plan | Price |
|------|-------|
| Pro  | 10 €  |

```
make refund --all
```
### Closing ###
---
The end <b>bold</b>.
)";
    EXPECT_EQ(Show(ExtractBlocks(ContentType::kMarkdown, md)),
              "H1:Refund policy\n"
              "P:Customers get their money back within 14 days (details). A happy customer\n"
              "H2:Shipping\n"
              "P:Standard: 3-5 days Express: next_day delivery Pack the item Send it\n"
              "P:Quoted advice here.\n"
              "P:Plan Price Pro 10 €\n"
              "P:make refund --all\n"
              "H3:Closing\n"
              "P:The end bold.\n");
}

TEST(Extract, HtmlDropsScriptsStylesAndTagsAndDecodesEntities) {
    auto html = R"(<!doctype html><html><head><title>T</title><style>p{color:red}</style>
<script>alert("x")</script></head><body>
<h1>Caf&eacute; &amp; <em>Bar</em></h1>
<p>Open &lt;daily&gt; from 8&nbsp;am.<br>Closed on Sundays.</p><!-- a comment -->
<div>Menu: <img src="m.png" alt="espresso">
<ul><li>Tea</li><li>Coffee &#8364;2</li></ul></div>
<noscript>enable JS</noscript><svg><text>drawing</text></svg>
<h2>Contact</h2><table><tr><td>Phone</td><td>123</td></tr></table>
<p>Unclosed <b>tags <i>everywhere
</body></html>)";
    EXPECT_EQ(Show(ExtractBlocks(ContentType::kHtml, html)),
              "H1:Café & Bar\n"
              "P:Open <daily> from 8 am. Closed on Sundays.\n"
              "P:Menu: espresso\n"
              "P:Tea\n"
              "P:Coffee €2\n"
              "H2:Contact\n"
              "P:Phone\n"
              "P:123\n"
              "P:Unclosed tags everywhere\n");
}

TEST(Extract, PdfTextLayer) {
    auto r = ExtractBlocks(ContentType::kPdf, Pdf({"Refund policy", "Money back within 14 days."}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::string all;
    for (const auto& b : *r) all += b.text + " ";
    EXPECT_NE(all.find("Refund policy"), std::string::npos) << all;
    EXPECT_NE(all.find("Money back within 14 days."), std::string::npos) << all;
    EXPECT_EQ(Show(ExtractBlocks(ContentType::kPdf, "%PDF-1.4 nonsense")), "error: unreadable_document");
    EXPECT_EQ(Show(ExtractBlocks(ContentType::kPdf, Pdf({}))), "error: unreadable_document");  // no text
}

}  // namespace
}  // namespace uxf::knowledge
