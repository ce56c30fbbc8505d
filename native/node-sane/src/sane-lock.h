// The one lock every SANE call is made under, and whether sane_init() has run (both defined in
// module.cc, which owns init and exit). SANE is not thread-safe: see module.cc's header.
#ifndef NODE_SANE_SANE_LOCK_H_
#define NODE_SANE_SANE_LOCK_H_

#include <sane/sane.h>

#include <atomic>
#include <mutex>

namespace node_sane {

extern std::mutex g_sane;             // serialises every SANE call
extern std::atomic<bool> g_inited;    // written under g_sane
extern SANE_Int g_version_code;       // guarded by g_sane

}  // namespace node_sane

#endif  // NODE_SANE_SANE_LOCK_H_
