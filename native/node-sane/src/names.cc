// SANE's enums as the strings the JS API uses, and SANE failures as JS errors.

#include "names.h"

namespace node_sane {

const char* StatusName(SANE_Status s) {
  switch (static_cast<int>(s)) {
    case SANE_STATUS_GOOD: return "GOOD";
    case SANE_STATUS_UNSUPPORTED: return "UNSUPPORTED";
    case SANE_STATUS_CANCELLED: return "CANCELLED";
    case SANE_STATUS_DEVICE_BUSY: return "DEVICE_BUSY";
    case SANE_STATUS_INVAL: return "INVAL";
    case SANE_STATUS_EOF: return "EOF";
    case SANE_STATUS_JAMMED: return "JAMMED";
    case SANE_STATUS_NO_DOCS: return "NO_DOCS";
    case SANE_STATUS_COVER_OPEN: return "COVER_OPEN";
    case SANE_STATUS_IO_ERROR: return "IO_ERROR";
    case SANE_STATUS_NO_MEM: return "NO_MEM";
    case SANE_STATUS_ACCESS_DENIED: return "ACCESS_DENIED";
    case 12: return "WARMING_UP";  // SANE_STATUS_WARMING_UP (SANE 1.0.x extension)
    case 13: return "HW_LOCKED";   // SANE_STATUS_HW_LOCKED
    default: return "UNKNOWN";
  }
}

const char* TypeName(SANE_Value_Type t) {
  switch (t) {
    case SANE_TYPE_BOOL: return "BOOL";
    case SANE_TYPE_INT: return "INT";
    case SANE_TYPE_FIXED: return "FIXED";
    case SANE_TYPE_STRING: return "STRING";
    case SANE_TYPE_BUTTON: return "BUTTON";
    case SANE_TYPE_GROUP: return "GROUP";
    default: return "UNKNOWN";
  }
}

const char* UnitName(SANE_Unit u) {
  switch (u) {
    case SANE_UNIT_NONE: return "NONE";
    case SANE_UNIT_PIXEL: return "PIXEL";
    case SANE_UNIT_BIT: return "BIT";
    case SANE_UNIT_MM: return "MM";
    case SANE_UNIT_DPI: return "DPI";
    case SANE_UNIT_PERCENT: return "PERCENT";
    case SANE_UNIT_MICROSECOND: return "MICROSECOND";
    default: return "UNKNOWN";
  }
}

const char* FrameName(SANE_Frame f) {
  switch (static_cast<int>(f)) {
    case SANE_FRAME_GRAY: return "GRAY";
    case SANE_FRAME_RGB: return "RGB";
    case SANE_FRAME_RED: return "RED";
    case SANE_FRAME_GREEN: return "GREEN";
    case SANE_FRAME_BLUE: return "BLUE";
    default: return "OTHER";
  }
}

Napi::Object InfoObject(Napi::Env env, SANE_Int info) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("inexact", Napi::Boolean::New(env, (info & SANE_INFO_INEXACT) != 0));
  o.Set("reloadOptions", Napi::Boolean::New(env, (info & SANE_INFO_RELOAD_OPTIONS) != 0));
  o.Set("reloadParams", Napi::Boolean::New(env, (info & SANE_INFO_RELOAD_PARAMS) != 0));
  return o;
}

// An Error whose `status` is the SANE status name and `code` is `SANE_STATUS_<NAME>`.
Napi::Error SaneError(Napi::Env env, const std::string& op, SANE_Status status) {
  std::string name = StatusName(status);
  Napi::Error e = Napi::Error::New(env, op + ": " + sane_strstatus(status) + " (" + name + ")");
  e.Set("status", Napi::String::New(env, name));
  e.Set("code", Napi::String::New(env, "SANE_STATUS_" + name));
  e.Set("operation", Napi::String::New(env, op));
  return e;
}

}  // namespace node_sane
