#pragma once
#include <string>
#include <utility>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/result.hpp"

namespace uxf {

/// A page of a list and the opaque cursor of the next one (empty when last).
template <class T>
struct Page {
    std::vector<T> items;
    std::string next_cursor;
};

/// Keyset pagination: a list ordered by (key, id) continues strictly after the cursor's pair, so pages stay
/// stable while rows are inserted.
struct Keyset {
    std::int64_t at = 0;
    std::string id;
};

std::string EncodeCursor(std::int64_t at, const std::string& id);
/// The position a cursor names; with no cursor, the start of an ascending (or descending) list.
/// 400 `invalid_input` on the `cursor` field when the text is not a cursor.
Result<Keyset> ParseCursor(const std::string& cursor, bool descending = false);
/// `limit` brought into 1..200 (0 or less: 50).
int ClampLimit(int limit);

/// Makes a page from up to `limit + 1` rows: the extra row only tells that there is a next page.
template <class T, class Rows, class FromRow, class KeyOf>
Page<T> MakePage(const Rows& rows, int limit, FromRow from_row, KeyOf key_of) {
    Page<T> page;
    for (const auto& r : rows) {
        if (static_cast<int>(page.items.size()) == limit) {
            auto [at, id] = key_of(page.items.back());
            page.next_cursor = EncodeCursor(at, id);
            break;
        }
        page.items.push_back(from_row(r));
    }
    return page;
}

}  // namespace uxf
