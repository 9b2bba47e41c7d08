#include <gtest/gtest.h>

#include "uxf/platform/compress.hpp"

namespace uxf::compress {
namespace {

TEST(Compress, RoundTripsAndShrinksRepetitiveJson) {
    std::string json = "[";
    for (int i = 0; i < 500; ++i) json += R"({"id":"n)" + std::to_string(i) + R"(","type":"screen","label":"Step"},)";
    json.back() = ']';
    std::string packed = Pack(json);
    EXPECT_LT(packed.size() * 5, json.size());
    EXPECT_EQ(Unpack(packed), json);
    EXPECT_EQ(Unpack(Pack("")), "");
}

TEST(Compress, RefusesWhatIsNotAWholeFrame) {
    std::string packed = Pack(std::string(10000, 'x'));
    EXPECT_FALSE(Unpack(packed.substr(0, packed.size() - 3)));  // truncated
    EXPECT_FALSE(Unpack("not zstd at all"));
    EXPECT_FALSE(Unpack(""));
    EXPECT_FALSE(Unpack(packed, 9999));  // larger than allowed once unpacked
    std::string text = "a flow document that is not only one letter repeated, " + std::string(300, 'y');
    std::string other = Pack(text);
    for (std::size_t at = 6; at < other.size(); ++at) {  // each byte after the frame header, flipped
        std::string damaged = other;
        damaged[at] ^= 0x55;
        auto out = Unpack(damaged);
        EXPECT_TRUE(!out || *out == text) << "byte " << at;  // refused (checksum), never misread
    }
}

}  // namespace
}  // namespace uxf::compress
