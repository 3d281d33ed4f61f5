#pragma once
/// RAII owners for HTSlib handles. Included only by .cpp files, so htslib types stay out of public headers.
#include <htslib/bgzf.h>

#include <memory>

namespace genomamba::io {

/// Closes a BGZF handle (plain, gzip or bgzip stream).
struct BgzfCloser {
  void operator()(BGZF* fp) const noexcept {
    // A close error on a stream opened for reading loses no data; nothing useful can be done with it here.
    if (fp && bgzf_close(fp) != 0) return;
  }
};
using BgzfPtr = std::unique_ptr<BGZF, BgzfCloser>;

}  // namespace genomamba::io
