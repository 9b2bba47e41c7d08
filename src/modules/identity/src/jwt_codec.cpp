#include <jwt.h>

#include <cerrno>

#include <memory>

#include "internal.hpp"
#include "uxf/core/ids.hpp"

namespace uxf::identity {
namespace {

struct JwtFree {
    void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

std::string Grant(jwt_t* j, const char* name) {
    const char* v = jwt_get_grant(j, name);
    return v ? v : "";
}

}  // namespace

JwtCodec::JwtCodec(std::string secret, std::string issuer, std::string audience, Micros ttl)
    : secret_(std::move(secret)), issuer_(std::move(issuer)), audience_(std::move(audience)), ttl_(ttl) {
    if (secret_.size() < 32) throw std::invalid_argument("the JWT secret must be at least 32 bytes");
}

std::string JwtCodec::Issue(const std::string& user_id, const std::string& session_id, Micros now) const {
    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0) throw std::bad_alloc();
    JwtPtr j(raw);
    long iat = static_cast<long>(now / kSecond);
    bool ok = jwt_add_grant(raw, "iss", issuer_.c_str()) == 0 && jwt_add_grant(raw, "aud", audience_.c_str()) == 0 &&
              jwt_add_grant(raw, "sub", user_id.c_str()) == 0 && jwt_add_grant(raw, "sid", session_id.c_str()) == 0 &&
              jwt_add_grant(raw, "jti", NewId("jti").c_str()) == 0 && jwt_add_grant(raw, "typ", "access") == 0 &&
              jwt_add_grant_int(raw, "iat", iat) == 0 &&
              jwt_add_grant_int(raw, "exp", static_cast<long>((now + ttl_) / kSecond)) == 0 &&
              jwt_set_alg(raw, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
                          static_cast<int>(secret_.size())) == 0;
    char* encoded = ok ? jwt_encode_str(raw) : nullptr;
    if (!encoded) throw std::runtime_error("could not sign an access token");
    std::string out(encoded);
    free(encoded);
    return out;
}

std::optional<AccessClaims> JwtCodec::Verify(const std::string& token, Micros now) const {
    if (token.empty() || token.size() > 4096) return std::nullopt;
    jwt_t* raw = nullptr;
    // The key is always given, so libjwt checks the signature; the algorithm is then pinned below, never taken
    // from the header: `none`, RS256 with our secret as a "public key", HS512 ... are all refused.
    if (jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                   static_cast<int>(secret_.size())) != 0)
        return std::nullopt;
    JwtPtr j(raw);
    if (jwt_get_alg(raw) != JWT_ALG_HS256) return std::nullopt;
    if (Grant(raw, "iss") != issuer_ || Grant(raw, "aud") != audience_ || Grant(raw, "typ") != "access")
        return std::nullopt;
    errno = 0;
    long exp = jwt_get_grant_int(raw, "exp");
    if (errno != 0) return std::nullopt;
    long iat = jwt_get_grant_int(raw, "iat");
    if (errno != 0) return std::nullopt;
    Micros now_s = now / kSecond;
    if (exp <= now_s || iat > now_s + 60) return std::nullopt;
    AccessClaims claims{Grant(raw, "sub"), Grant(raw, "sid"), Grant(raw, "jti"), static_cast<Micros>(exp) * kSecond};
    if (claims.user_id.empty() || claims.session_id.empty()) return std::nullopt;
    return claims;
}

}  // namespace uxf::identity
