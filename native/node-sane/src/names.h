// SANE's enums as the strings the JS API uses, and SANE failures as JS errors.
#ifndef NODE_SANE_NAMES_H_
#define NODE_SANE_NAMES_H_

#include <napi.h>
#include <sane/sane.h>

#include <string>

namespace node_sane {

// "GOOD", "EOF", "JAMMED", ... ("UNKNOWN" for a code SANE does not define).
const char* StatusName(SANE_Status s);
const char* TypeName(SANE_Value_Type t);
const char* UnitName(SANE_Unit u);
const char* FrameName(SANE_Frame f);

// { inexact, reloadOptions, reloadParams } from sane_control_option()'s info flags.
Napi::Object InfoObject(Napi::Env env, SANE_Int info);

// An Error whose `status` is the SANE status name and `code` is `SANE_STATUS_<NAME>`.
Napi::Error SaneError(Napi::Env env, const std::string& op, SANE_Status status);

}  // namespace node_sane

#endif  // NODE_SANE_NAMES_H_
