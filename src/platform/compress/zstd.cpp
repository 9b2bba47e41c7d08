#include <zstd.h>

#include <memory>
#include <stdexcept>

#include "uxf/platform/compress.hpp"

namespace uxf::compress {
namespace {

// One context per thread, reused: creating one costs more than packing a small document.
struct CctxFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DctxFree {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

void Check(std::size_t code) {
    if (ZSTD_isError(code)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(code));
}

}  // namespace

std::string Pack(std::string_view data, int level) {
    thread_local std::unique_ptr<ZSTD_CCtx, CctxFree> cctx(ZSTD_createCCtx());
    Check(ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters));
    Check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level));
    Check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1));  // a damaged frame is refused, not misread
    std::string out(ZSTD_compressBound(data.size()), '\0');
    std::size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), data.data(), data.size());
    Check(n);
    out.resize(n);
    return out;
}

std::optional<std::string> Unpack(std::string_view frame, std::size_t max_size) {
    unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > max_size) return std::nullopt;
    thread_local std::unique_ptr<ZSTD_DCtx, DctxFree> dctx(ZSTD_createDCtx());
    std::string out(static_cast<std::size_t>(size), '\0');
    std::size_t n = ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), frame.data(), frame.size());
    if (ZSTD_isError(n) || n != out.size()) return std::nullopt;
    return out;
}

}  // namespace uxf::compress
