#include "uxf/platform/crypto.hpp"
#include "uxf/platform/crypto_test_hooks.hpp"

#include <mutex>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "uxf/core/strings.hpp"

namespace uxf::crypto {
namespace {

struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    }
};
const SodiumInit kSodiumInit;

}  // namespace

std::string Sha256Hex(std::string_view data) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return HexEncode(out);
}

std::vector<std::uint8_t> HmacSha1(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message) {
    std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), out.data(), &len))
        throw std::runtime_error("HMAC-SHA1 failed");
    out.resize(len);
    return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomToken(std::size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

SecretBox::SecretBox(std::string_view key_b64) {
    auto key = Base64UrlDecode(key_b64);
    if (!key || key->size() != crypto_secretbox_KEYBYTES)
        throw std::invalid_argument("secret key must be 32 bytes in base64url");
    key_ = std::move(*key);
}

std::string SecretBox::NewKey() { return RandomToken(crypto_secretbox_KEYBYTES); }

std::string SecretBox::Seal(std::string_view plaintext) const {
    std::vector<std::uint8_t> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), out.data(),
                          key_.data());
    return Base64UrlEncode(out);
}

std::optional<std::string> SecretBox::Open(std::string_view sealed) const {
    auto bytes = Base64UrlDecode(sealed);
    if (!bytes || bytes->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
    std::string out(bytes->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                   bytes->data() + crypto_secretbox_NONCEBYTES,
                                   bytes->size() - crypto_secretbox_NONCEBYTES, bytes->data(), key_.data()) != 0)
        return std::nullopt;
    return out;
}

namespace {

using HashObserver = std::function<void(HashWork, std::string_view)>;
std::mutex g_observer_mu;

HashObserver& TheObserver() {  // a function-local static: usable whatever the order of static initialisation
    static HashObserver observer;
    return observer;
}

void Observe(HashWork work, std::string_view phc) {
    HashObserver observer;
    {
        std::lock_guard lock(g_observer_mu);
        observer = TheObserver();
    }
    if (observer) observer(work, phc);
}

}  // namespace

void SetPasswordHashObserver(std::function<void(HashWork work, std::string_view phc)> observer) {
    std::lock_guard lock(g_observer_mu);
    TheObserver() = std::move(observer);
}

PasswordHasher::PasswordHasher(PasswordHashSettings settings) : settings_(settings) {}

std::string PasswordHasher::Hash(std::string_view password) const {
    Observe(HashWork::kHash, {});
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), settings_.ops_limit, settings_.mem_limit_bytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("out of memory while hashing a password");
    return out;
}

bool PasswordHasher::Verify(std::string_view phc, std::string_view password) const {
    Observe(HashWork::kVerify, phc);
    std::string z(phc);  // libsodium wants a NUL-terminated string
    return crypto_pwhash_str_verify(z.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view phc) const {
    std::string z(phc);
    return crypto_pwhash_str_needs_rehash(z.c_str(), settings_.ops_limit, settings_.mem_limit_bytes) != 0;
}

}  // namespace uxf::crypto
