// node-sane: a Node-API binding for libsane.
//
// Threading model
// - Every call that may touch the device or the backend (init, device list, open, close, option
//   get/set, parameters, start, read, cancel) runs on a libuv worker thread (Napi::AsyncWorker)
//   and returns a Promise, so a slow or stuck driver never blocks the JavaScript thread.
// - SANE is not thread-safe: one global mutex serialises every SANE call. A read holds it only
//   for the duration of one sane_read() call, so a cancel request can get in between reads.
// - cancel() while a read is in flight only raises a flag; the reading thread calls
//   sane_cancel() itself between two sane_read() calls and the read resolves with CANCELLED.
//   (Calling sane_cancel() from a second thread while the first is inside sane_read() is allowed
//   by the SANE standard but several backends, the test backend among them, do not survive it.)
//   A driver stuck inside one sane_read() is a hang: the owner of the process (the scanner
//   worker's watchdog) ends the process; nothing in-process can unblock it safely.

#include <napi.h>
#include <sane/sane.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

std::mutex g_sane;                  // serialises every SANE call
std::atomic<bool> g_inited{false};  // written under g_sane
SANE_Int g_version_code = 0;        // guarded by g_sane

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

// A Promise-returning AsyncWorker: `work` runs on a libuv thread and returns a SANE status;
// `done` builds the resolved value on the JS thread when the status is GOOD.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<SANE_Status()>;
  using Done = std::function<Napi::Value(Napi::Env)>;

  PromiseWorker(Napi::Env env, std::string op, Work work, Done done)
      : Napi::AsyncWorker(env, op.c_str()),
        deferred_(Napi::Promise::Deferred::New(env)),
        op_(std::move(op)),
        work_(std::move(work)),
        done_(std::move(done)) {}

  Napi::Promise Queue() {
    Napi::Promise p = deferred_.Promise();
    Napi::AsyncWorker::Queue();
    return p;
  }

  // Keeps a JS object (the device wrapper, a read buffer) alive while the work runs. The
  // references are released when the worker is deleted, on the JS thread, after OnOK/OnError.
  void Retain(Napi::Object o) { kept_.push_back(Napi::Persistent(o)); }

  // Counts this work in a device's in-flight counter until it has run (see Device::JsLock).
  void Track(std::shared_ptr<std::atomic<int>> counter) {
    counter->fetch_add(1);
    counter_ = std::move(counter);
  }

 protected:
  void Execute() override {
    try {
      status_ = work_();
    } catch (const std::exception& e) {
      message_ = e.what();
    }
    if (counter_) counter_->fetch_sub(1);
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (!message_.empty()) {
      deferred_.Reject(Napi::Error::New(env, op_ + ": " + message_).Value());
    } else if (status_ != SANE_STATUS_GOOD) {
      deferred_.Reject(SaneError(env, op_, status_).Value());
    } else {
      try {
        deferred_.Resolve(done_ ? done_(env) : env.Undefined());
      } catch (const Napi::Error& e) {
        deferred_.Reject(e.Value());
      }
    }
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::string op_;
  Work work_;
  Done done_;
  SANE_Status status_ = SANE_STATUS_GOOD;
  std::string message_;
  std::vector<Napi::ObjectReference> kept_;
  std::shared_ptr<std::atomic<int>> counter_;
};

// ---------------------------------------------------------------------------------------------
// Option values: conversion between SANE's word buffers and JS values.

Napi::Value ValueToJs(Napi::Env env, const SANE_Option_Descriptor* d, const std::vector<SANE_Word>& buf) {
  size_t count = d->size > 0 ? static_cast<size_t>(d->size) / sizeof(SANE_Word) : 0;
  switch (d->type) {
    case SANE_TYPE_BOOL:
      return Napi::Boolean::New(env, buf.empty() ? false : buf[0] == SANE_TRUE);
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED: {
      auto conv = [&](SANE_Word w) -> double {
        return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w);
      };
      if (count <= 1) return Napi::Number::New(env, buf.empty() ? 0 : conv(buf[0]));
      Napi::Array a = Napi::Array::New(env, count);
      for (size_t i = 0; i < count; i++) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, conv(buf[i])));
      return a;
    }
    case SANE_TYPE_STRING: {
      const char* s = reinterpret_cast<const char*>(buf.data());
      size_t max = static_cast<size_t>(d->size);
      return Napi::String::New(env, s, strnlen(s, max));
    }
    default:
      return env.Null();
  }
}

// Allocates a buffer of at least the option's size (in words, so alignment is right).
std::vector<SANE_Word> OptionBuffer(const SANE_Option_Descriptor* d) {
  size_t bytes = d->size > 0 ? static_cast<size_t>(d->size) : sizeof(SANE_Word);
  return std::vector<SANE_Word>((bytes + sizeof(SANE_Word) - 1) / sizeof(SANE_Word) + 1, 0);
}

void JsToValue(Napi::Env env, const SANE_Option_Descriptor* d, Napi::Value v, std::vector<SANE_Word>& buf) {
  size_t count = d->size > 0 ? static_cast<size_t>(d->size) / sizeof(SANE_Word) : 0;
  switch (d->type) {
    case SANE_TYPE_BOOL:
      if (!v.IsBoolean()) throw Napi::TypeError::New(env, std::string("option ") + d->name + " takes a boolean");
      buf[0] = v.As<Napi::Boolean>().Value() ? SANE_TRUE : SANE_FALSE;
      return;
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED: {
      auto conv = [&](Napi::Value x) -> SANE_Word {
        if (!x.IsNumber()) throw Napi::TypeError::New(env, std::string("option ") + d->name + " takes numbers");
        double n = x.As<Napi::Number>().DoubleValue();
        return d->type == SANE_TYPE_FIXED ? SANE_FIX(n) : static_cast<SANE_Word>(n >= 0 ? n + 0.5 : n - 0.5);
      };
      if (v.IsArray()) {
        Napi::Array a = v.As<Napi::Array>();
        if (a.Length() != count) throw Napi::RangeError::New(env, std::string("option ") + d->name + " takes " + std::to_string(count) + " values");
        for (uint32_t i = 0; i < a.Length(); i++) buf[i] = conv(a.Get(i));
      } else {
        // A single number sets every element (SANE's convention for arrays set from one value).
        SANE_Word w = conv(v);
        for (size_t i = 0; i < (count == 0 ? 1 : count); i++) buf[i] = w;
      }
      return;
    }
    case SANE_TYPE_STRING: {
      if (!v.IsString()) throw Napi::TypeError::New(env, std::string("option ") + d->name + " takes a string");
      std::string s = v.As<Napi::String>().Utf8Value();
      size_t max = static_cast<size_t>(d->size);
      if (max == 0) max = 1;
      if (s.size() >= max) s.resize(max - 1);
      std::memset(buf.data(), 0, buf.size() * sizeof(SANE_Word));
      std::memcpy(buf.data(), s.data(), s.size());
      return;
    }
    case SANE_TYPE_BUTTON:
      return;
    default:
      throw Napi::TypeError::New(env, "option has no value");
  }
}

Napi::Object DescriptorToJs(Napi::Env env, SANE_Int index, const SANE_Option_Descriptor* d) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("index", Napi::Number::New(env, index));
  o.Set("name", Napi::String::New(env, d->name ? d->name : ""));
  o.Set("title", Napi::String::New(env, d->title ? d->title : ""));
  o.Set("description", Napi::String::New(env, d->desc ? d->desc : ""));
  o.Set("type", Napi::String::New(env, TypeName(d->type)));
  o.Set("unit", Napi::String::New(env, UnitName(d->unit)));
  o.Set("size", Napi::Number::New(env, d->size));
  size_t count = (d->type == SANE_TYPE_INT || d->type == SANE_TYPE_FIXED) && d->size > 0
                     ? static_cast<size_t>(d->size) / sizeof(SANE_Word)
                     : 1;
  o.Set("count", Napi::Number::New(env, static_cast<double>(count)));
  Napi::Object cap = Napi::Object::New(env);
  cap.Set("softSelect", Napi::Boolean::New(env, (d->cap & SANE_CAP_SOFT_SELECT) != 0));
  cap.Set("hardSelect", Napi::Boolean::New(env, (d->cap & SANE_CAP_HARD_SELECT) != 0));
  cap.Set("softDetect", Napi::Boolean::New(env, (d->cap & SANE_CAP_SOFT_DETECT) != 0));
  cap.Set("emulated", Napi::Boolean::New(env, (d->cap & SANE_CAP_EMULATED) != 0));
  cap.Set("automatic", Napi::Boolean::New(env, (d->cap & SANE_CAP_AUTOMATIC) != 0));
  cap.Set("inactive", Napi::Boolean::New(env, (d->cap & SANE_CAP_INACTIVE) != 0));
  cap.Set("advanced", Napi::Boolean::New(env, (d->cap & SANE_CAP_ADVANCED) != 0));
  o.Set("cap", cap);
  o.Set("isActive", Napi::Boolean::New(env, SANE_OPTION_IS_ACTIVE(d->cap)));
  o.Set("isSettable", Napi::Boolean::New(env, SANE_OPTION_IS_SETTABLE(d->cap)));
  bool fixed = d->type == SANE_TYPE_FIXED;
  switch (d->constraint_type) {
    case SANE_CONSTRAINT_RANGE: {
      Napi::Object c = Napi::Object::New(env);
      const SANE_Range* r = d->constraint.range;
      c.Set("type", Napi::String::New(env, "RANGE"));
      c.Set("min", Napi::Number::New(env, fixed ? SANE_UNFIX(r->min) : r->min));
      c.Set("max", Napi::Number::New(env, fixed ? SANE_UNFIX(r->max) : r->max));
      c.Set("quant", Napi::Number::New(env, fixed ? SANE_UNFIX(r->quant) : r->quant));
      o.Set("constraint", c);
      break;
    }
    case SANE_CONSTRAINT_WORD_LIST: {
      Napi::Object c = Napi::Object::New(env);
      const SANE_Word* w = d->constraint.word_list;
      SANE_Word n = w[0];
      Napi::Array values = Napi::Array::New(env, static_cast<size_t>(n));
      for (SANE_Word i = 0; i < n; i++)
        values.Set(static_cast<uint32_t>(i), Napi::Number::New(env, fixed ? SANE_UNFIX(w[i + 1]) : w[i + 1]));
      c.Set("type", Napi::String::New(env, "WORD_LIST"));
      c.Set("values", values);
      o.Set("constraint", c);
      break;
    }
    case SANE_CONSTRAINT_STRING_LIST: {
      Napi::Object c = Napi::Object::New(env);
      Napi::Array values = Napi::Array::New(env);
      uint32_t i = 0;
      for (const SANE_String_Const* s = d->constraint.string_list; s && *s; s++) values.Set(i++, Napi::String::New(env, *s));
      c.Set("type", Napi::String::New(env, "STRING_LIST"));
      c.Set("values", values);
      o.Set("constraint", c);
      break;
    }
    default:
      o.Set("constraint", env.Null());
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// The device handle.

struct DeviceState {
  SANE_Handle handle = nullptr;
  std::string name;
  std::atomic<bool> open{false};             // written under g_sane
  std::shared_ptr<std::atomic<int>> inflight = std::make_shared<std::atomic<int>>(0);
  std::atomic<bool> reading{false};          // a read() is in flight
  std::atomic<bool> cancelRequested{false};  // raised by cancel(), consumed by the reader
};

std::mutex g_devices;                   // guards g_open_devices (never held while calling SANE)
std::set<DeviceState*> g_open_devices;  // sane_exit() closes them all

class Device : public Napi::ObjectWrap<Device> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "SaneDevice",
                       {
                           InstanceAccessor<&Device::GetName>("name"),
                           InstanceAccessor<&Device::GetIsOpen>("isOpen"),
                           InstanceMethod<&Device::Close>("close"),
                           InstanceMethod<&Device::GetOptionDescriptors>("getOptionDescriptors"),
                           InstanceMethod<&Device::GetOption>("getOption"),
                           InstanceMethod<&Device::SetOption>("setOption"),
                           InstanceMethod<&Device::SetOptionAuto>("setOptionAuto"),
                           InstanceMethod<&Device::GetParameters>("getParameters"),
                           InstanceMethod<&Device::Start>("start"),
                           InstanceMethod<&Device::Read>("read"),
                           InstanceMethod<&Device::Cancel>("cancel"),
                           InstanceMethod<&Device::SetIoMode>("setIoMode"),
                       });
  }

  Device(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Device>(info), state_(std::make_shared<DeviceState>()) {
    // Constructed only by open(): the first argument is an External holding the opened handle.
    if (info.Length() < 2 || !info[0].IsExternal() || !info[1].IsString())
      throw Napi::TypeError::New(info.Env(), "SaneDevice cannot be constructed directly; use open()");
    state_->handle = info[0].As<Napi::External<void>>().Data();
    state_->name = info[1].As<Napi::String>().Utf8Value();
    state_->open = true;
    std::lock_guard<std::mutex> lock(g_devices);
    g_open_devices.insert(state_.get());
  }

  // Runs in the garbage collector's finaliser on the JS thread: never wait for g_sane here (a
  // read on another device could hold it). A device left open is closed on its own thread.
  ~Device() override {
    {
      std::lock_guard<std::mutex> lock(g_devices);
      g_open_devices.erase(state_.get());
    }
    if (state_->open) {
      std::shared_ptr<DeviceState> st = state_;
      std::thread([st]() {
        std::lock_guard<std::mutex> lock(g_sane);
        if (st->open && g_inited) sane_close(st->handle);
        st->open = false;
      }).detach();
    }
  }

 private:
  std::shared_ptr<DeviceState> state_;

  // Promise-returning methods report bad arguments and closed devices as rejections too.
  Napi::Value RejectOnThrow(const Napi::CallbackInfo& info, Napi::Value (Device::*impl)(const Napi::CallbackInfo&)) {
    try {
      return (this->*impl)(info);
    } catch (const Napi::Error& e) {
      Napi::Promise::Deferred d = Napi::Promise::Deferred::New(info.Env());
      d.Reject(e.Value());
      return d.Promise();
    }
  }

  void EnsureOpen(Napi::Env env) {
    if (!state_->open || !g_inited) throw Napi::Error::New(env, "device " + state_->name + " is closed");
  }

  // The few calls that read descriptors on the JS thread take g_sane there. They refuse to run
  // while this device has work in flight (a read, a start) instead of blocking the event loop
  // behind it.
  std::unique_lock<std::mutex> JsLock(Napi::Env env) {
    EnsureOpen(env);
    if (state_->inflight->load() > 0)
      throw Napi::Error::New(env, "device " + state_->name + " is busy (an operation is in progress)");
    return std::unique_lock<std::mutex>(g_sane);
  }

  Napi::Value GetName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), state_->name); }

  Napi::Value GetIsOpen(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), state_->open && g_inited); }

  Napi::Value Close(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::CloseImpl); }
  Napi::Value CloseImpl(const Napi::CallbackInfo& info) {
    auto st = state_;
    auto* w = new PromiseWorker(
        info.Env(), "sane_close",
        [st]() {
          std::lock_guard<std::mutex> lock(g_sane);
          if (st->open && g_inited) {
            sane_cancel(st->handle);
            sane_close(st->handle);
          }
          st->open = false;
          return SANE_STATUS_GOOD;
        },
        nullptr);
    return QueueOnDevice(info, w);
  }

  Napi::Value GetOptionDescriptors(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto lock = JsLock(env);
    Napi::Array out = Napi::Array::New(env);
    const SANE_Option_Descriptor* d0 = sane_get_option_descriptor(state_->handle, 0);
    if (!d0) return out;
    SANE_Int n = 0;
    if (sane_control_option(state_->handle, 0, SANE_ACTION_GET_VALUE, &n, nullptr) != SANE_STATUS_GOOD) n = 1;
    uint32_t k = 0;
    for (SANE_Int i = 0; i < n; i++) {
      const SANE_Option_Descriptor* d = sane_get_option_descriptor(state_->handle, i);
      if (d) out.Set(k++, DescriptorToJs(env, i, d));
    }
    return out;
  }

  // Resolves the option argument (index or name) to an index; must hold g_sane.
  SANE_Int ResolveOption(Napi::Env env, Napi::Value which, const SANE_Option_Descriptor** out) {
    SANE_Int n = 0;
    if (sane_control_option(state_->handle, 0, SANE_ACTION_GET_VALUE, &n, nullptr) != SANE_STATUS_GOOD) n = 0;
    if (which.IsNumber()) {
      SANE_Int i = which.As<Napi::Number>().Int32Value();
      const SANE_Option_Descriptor* d = i >= 0 && i < n ? sane_get_option_descriptor(state_->handle, i) : nullptr;
      if (!d) throw Napi::RangeError::New(env, "no option with index " + std::to_string(i));
      *out = d;
      return i;
    }
    if (which.IsString()) {
      std::string name = which.As<Napi::String>().Utf8Value();
      for (SANE_Int i = 1; i < n; i++) {
        const SANE_Option_Descriptor* d = sane_get_option_descriptor(state_->handle, i);
        if (d && d->name && name == d->name) {
          *out = d;
          return i;
        }
      }
      throw Napi::RangeError::New(env, "no option named " + name);
    }
    throw Napi::TypeError::New(env, "option must be an index or a name");
  }

  // The prelude of the option methods: the device is open, nothing is in flight, and the option
  // argument (index or name) names an option. Takes g_sane only for the lookup.
  SANE_Int ResolveOpenOption(Napi::Env env, Napi::Value which, const SANE_Option_Descriptor** out) {
    auto lock = JsLock(env);
    return ResolveOption(env, which, out);
  }

  // The tail of every asynchronous method: the JS device object stays alive and the work counts
  // as in flight (JsLock refuses descriptor reads meanwhile) until the worker has finished.
  Napi::Value QueueOnDevice(const Napi::CallbackInfo& info, PromiseWorker* w) {
    w->Retain(info.This().As<Napi::Object>());
    w->Track(state_->inflight);
    return w->Queue();
  }

  Napi::Value GetOption(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::GetOptionImpl); }
  Napi::Value GetOptionImpl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const SANE_Option_Descriptor* d;
    SANE_Int index = ResolveOpenOption(env, info[0], &d);
    if (d->type == SANE_TYPE_GROUP || d->type == SANE_TYPE_BUTTON)
      throw Napi::TypeError::New(env, std::string("option ") + (d->name ? d->name : "") + " has no value");
    auto st = state_;
    auto buf = std::make_shared<std::vector<SANE_Word>>(OptionBuffer(d));
    auto desc = std::make_shared<SANE_Option_Descriptor>(*d);  // type and size, for the JS side
    auto* w = new PromiseWorker(
        env, "sane_control_option(get)",
        [st, index, buf, desc]() {
          std::lock_guard<std::mutex> lock(g_sane);
          if (!st->open || !g_inited) return SANE_STATUS_INVAL;
          const SANE_Option_Descriptor* dd = sane_get_option_descriptor(st->handle, index);
          if (dd) *desc = *dd;
          return sane_control_option(st->handle, index, SANE_ACTION_GET_VALUE, buf->data(), nullptr);
        },
        [buf, desc](Napi::Env e) -> Napi::Value { return ValueToJs(e, desc.get(), *buf); });
    return QueueOnDevice(info, w);
  }

  Napi::Value SetOption(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::SetOptionImpl); }
  Napi::Value SetOptionImpl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const SANE_Option_Descriptor* d;
    SANE_Int index = ResolveOpenOption(env, info[0], &d);
    if (d->type == SANE_TYPE_GROUP) throw Napi::TypeError::New(env, "a group has no value");
    auto buf = std::make_shared<std::vector<SANE_Word>>(OptionBuffer(d));
    JsToValue(env, d, info[1], *buf);
    auto st = state_;
    auto infoFlags = std::make_shared<SANE_Int>(0);
    bool isButton = d->type == SANE_TYPE_BUTTON;
    auto desc = std::make_shared<SANE_Option_Descriptor>(*d);
    auto* w = new PromiseWorker(
        env, "sane_control_option(set)",
        [st, index, buf, infoFlags, isButton]() {
          std::lock_guard<std::mutex> lock(g_sane);
          if (!st->open || !g_inited) return SANE_STATUS_INVAL;
          return sane_control_option(st->handle, index, SANE_ACTION_SET_VALUE, isButton ? nullptr : buf->data(),
                                     infoFlags.get());
        },
        [buf, infoFlags, desc](Napi::Env e) -> Napi::Value {
          Napi::Object o = Napi::Object::New(e);
          o.Set("info", InfoObject(e, *infoFlags));
          // With SANE_INFO_INEXACT the backend wrote the value it actually used into the buffer.
          o.Set("value", desc->type == SANE_TYPE_BUTTON ? e.Null() : ValueToJs(e, desc.get(), *buf));
          return o;
        });
    return QueueOnDevice(info, w);
  }

  Napi::Value SetOptionAuto(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::SetOptionAutoImpl); }
  Napi::Value SetOptionAutoImpl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const SANE_Option_Descriptor* d;
    SANE_Int index = ResolveOpenOption(env, info[0], &d);
    auto st = state_;
    auto infoFlags = std::make_shared<SANE_Int>(0);
    auto* w = new PromiseWorker(
        env, "sane_control_option(auto)",
        [st, index, infoFlags]() {
          std::lock_guard<std::mutex> lock(g_sane);
          if (!st->open || !g_inited) return SANE_STATUS_INVAL;
          return sane_control_option(st->handle, index, SANE_ACTION_SET_AUTO, nullptr, infoFlags.get());
        },
        [infoFlags](Napi::Env e) -> Napi::Value {
          Napi::Object o = Napi::Object::New(e);
          o.Set("info", InfoObject(e, *infoFlags));
          return o;
        });
    return QueueOnDevice(info, w);
  }

  Napi::Value GetParameters(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::GetParametersImpl); }
  Napi::Value GetParametersImpl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    EnsureOpen(env);
    auto st = state_;
    auto p = std::make_shared<SANE_Parameters>();
    auto* w = new PromiseWorker(
        env, "sane_get_parameters",
        [st, p]() {
          std::lock_guard<std::mutex> lock(g_sane);
          if (!st->open || !g_inited) return SANE_STATUS_INVAL;
          return sane_get_parameters(st->handle, p.get());
        },
        [p](Napi::Env e) -> Napi::Value {
          Napi::Object o = Napi::Object::New(e);
          o.Set("format", Napi::String::New(e, FrameName(p->format)));
          o.Set("formatCode", Napi::Number::New(e, static_cast<int>(p->format)));
          o.Set("lastFrame", Napi::Boolean::New(e, p->last_frame == SANE_TRUE));
          o.Set("bytesPerLine", Napi::Number::New(e, p->bytes_per_line));
          o.Set("pixelsPerLine", Napi::Number::New(e, p->pixels_per_line));
          o.Set("lines", Napi::Number::New(e, p->lines));
          o.Set("depth", Napi::Number::New(e, p->depth));
          return o;
        });
    return QueueOnDevice(info, w);
  }

  Napi::Value Start(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::StartImpl); }
  Napi::Value StartImpl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    EnsureOpen(env);
    auto st = state_;
    st->cancelRequested = false;
    auto* w = new PromiseWorker(
        env, "sane_start",
        [st]() {
          std::lock_guard<std::mutex> lock(g_sane);
          if (!st->open || !g_inited) return SANE_STATUS_INVAL;
          st->cancelRequested = false;
          return sane_start(st->handle);
        },
        nullptr);
    return QueueOnDevice(info, w);
  }

  // read(buffer, { maxWaitMs }) fills `buffer` from the device. It resolves with
  // { bytes, status } once the buffer is full, a status other than GOOD arrives (EOF at the end
  // of the frame, CANCELLED after cancel(), or a fault such as JAMMED), or maxWaitMs has passed
  // with at least one byte read (so slow devices still report progress). Device statuses are
  // data here, not rejections: the bytes read before a fault are valid and must not be lost.
  Napi::Value Read(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::ReadImpl); }
  Napi::Value ReadImpl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    EnsureOpen(env);
    if (info.Length() < 1 || !info[0].IsTypedArray())
      throw Napi::TypeError::New(env, "read(buffer) needs a Uint8Array");
    Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
    if (ta.TypedArrayType() != napi_uint8_array) throw Napi::TypeError::New(env, "read(buffer) needs a Uint8Array");
    Napi::Uint8Array arr = ta.As<Napi::Uint8Array>();
    double maxWaitMs = 250;
    if (info.Length() > 1 && info[1].IsObject()) {
      Napi::Value mw = info[1].As<Napi::Object>().Get("maxWaitMs");
      if (mw.IsNumber()) maxWaitMs = mw.As<Napi::Number>().DoubleValue();
    }
    bool expected = false;
    if (!state_->reading.compare_exchange_strong(expected, true))
      throw Napi::Error::New(env, "a read is already in progress on " + state_->name);

    uint8_t* data = arr.Data();
    size_t cap = arr.ByteLength();
    auto st = state_;
    auto bytes = std::make_shared<size_t>(0);
    auto last = std::make_shared<SANE_Status>(SANE_STATUS_GOOD);
    // The buffer must stay alive while the worker thread writes into it.
    auto* w = new PromiseWorker(
        env, "sane_read",
        [st, data, cap, bytes, last, maxWaitMs]() {
          auto t0 = std::chrono::steady_clock::now();
          size_t total = 0;
          SANE_Status s = SANE_STATUS_GOOD;
          while (total < cap) {
            {
              std::lock_guard<std::mutex> lock(g_sane);
              if (!st->open || !g_inited) {
                s = SANE_STATUS_CANCELLED;
                break;
              }
              if (st->cancelRequested.exchange(false)) {
                sane_cancel(st->handle);
                s = SANE_STATUS_CANCELLED;
                break;
              }
              SANE_Int len = 0;
              size_t want = cap - total;
              if (want > 0x7fffffff) want = 0x7fffffff;
              s = sane_read(st->handle, data + total, static_cast<SANE_Int>(want), &len);
              if (len > 0) total += static_cast<size_t>(len);
            }
            if (s != SANE_STATUS_GOOD) break;
            double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (total > 0 && elapsed >= maxWaitMs) break;
            if (total == 0 && elapsed >= maxWaitMs) {
              // Non-blocking backends may return GOOD with no data: yield briefly.
              std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
          }
          // A cancel that arrived while this read filled the buffer is honoured now, so a read
          // in flight when cancel() is called always resolves CANCELLED.
          if (s == SANE_STATUS_GOOD && st->cancelRequested.load()) {
            std::lock_guard<std::mutex> lock(g_sane);
            if (st->open && g_inited && st->cancelRequested.exchange(false)) {
              sane_cancel(st->handle);
              s = SANE_STATUS_CANCELLED;
            }
          }
          *bytes = total;
          *last = s;
          st->reading = false;
          return SANE_STATUS_GOOD;
        },
        [bytes, last](Napi::Env e) -> Napi::Value {
          Napi::Object o = Napi::Object::New(e);
          o.Set("bytes", Napi::Number::New(e, static_cast<double>(*bytes)));
          o.Set("status", Napi::String::New(e, StatusName(*last)));
          return o;
        });
    w->Retain(arr);
    return QueueOnDevice(info, w);
  }

  // cancel(): with a read in flight, asks the reading thread to cancel between two sane_read()
  // calls (the read then resolves with status CANCELLED); otherwise calls sane_cancel() on a
  // worker thread. Resolves when the request is recorded or the cancel has been done.
  Napi::Value Cancel(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::CancelImpl); }
  Napi::Value CancelImpl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    EnsureOpen(env);
    auto st = state_;
    st->cancelRequested = true;
    auto* w = new PromiseWorker(
        env, "sane_cancel",
        [st]() {
          if (st->reading) return SANE_STATUS_GOOD;  // the reader will do it
          std::lock_guard<std::mutex> lock(g_sane);
          if (st->reading) return SANE_STATUS_GOOD;
          if (st->open && g_inited && st->cancelRequested.exchange(false)) sane_cancel(st->handle);
          return SANE_STATUS_GOOD;
        },
        nullptr);
    return QueueOnDevice(info, w);
  }

  Napi::Value SetIoMode(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    EnsureOpen(env);
    bool nb = info.Length() > 0 && info[0].ToBoolean().Value();
    auto lock = JsLock(env);
    SANE_Status s = sane_set_io_mode(state_->handle, nb ? SANE_TRUE : SANE_FALSE);
    return Napi::String::New(env, StatusName(s));
  }
};

struct AddonData {
  Napi::FunctionReference deviceCtor;
};

// ---------------------------------------------------------------------------------------------
// Module functions.

Napi::Value Init(const Napi::CallbackInfo& info) {
  auto version = std::make_shared<SANE_Int>(0);
  auto* w = new PromiseWorker(
      info.Env(), "sane_init",
      [version]() {
        std::lock_guard<std::mutex> lock(g_sane);
        if (g_inited) {
          *version = g_version_code;
          return SANE_STATUS_GOOD;
        }
        SANE_Status s = sane_init(version.get(), nullptr);
        if (s == SANE_STATUS_GOOD) {
          g_inited = true;
          g_version_code = *version;
        }
        return s;
      },
      [version](Napi::Env e) -> Napi::Value {
        Napi::Object o = Napi::Object::New(e);
        SANE_Int v = *version;
        o.Set("versionCode", Napi::Number::New(e, v));
        o.Set("version", Napi::String::New(e, std::to_string(SANE_VERSION_MAJOR(v)) + "." +
                                                  std::to_string(SANE_VERSION_MINOR(v)) + "." +
                                                  std::to_string(SANE_VERSION_BUILD(v))));
        return o;
      });
  return w->Queue();
}

Napi::Value Exit(const Napi::CallbackInfo& info) {
  auto* w = new PromiseWorker(
      info.Env(), "sane_exit",
      []() {
        std::lock_guard<std::mutex> lock(g_sane);
        if (g_inited) {
          std::lock_guard<std::mutex> dl(g_devices);
          for (DeviceState* d : g_open_devices) d->open = false;  // sane_exit closes every handle
          g_open_devices.clear();
          sane_exit();
          g_inited = false;
        }
        return SANE_STATUS_GOOD;
      },
      nullptr);
  return w->Queue();
}

Napi::Value IsInitialized(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), g_inited.load());
}

struct DeviceInfo {
  std::string name, vendor, model, type;
};

Napi::Value GetDevices(const Napi::CallbackInfo& info) {
  bool localOnly = info.Length() > 0 && info[0].ToBoolean().Value();
  auto list = std::make_shared<std::vector<DeviceInfo>>();
  auto* w = new PromiseWorker(
      info.Env(), "sane_get_devices",
      [list, localOnly]() {
        std::lock_guard<std::mutex> lock(g_sane);
        if (!g_inited) return SANE_STATUS_INVAL;
        const SANE_Device** devs = nullptr;
        SANE_Status s = sane_get_devices(&devs, localOnly ? SANE_TRUE : SANE_FALSE);
        if (s != SANE_STATUS_GOOD) return s;
        for (const SANE_Device** d = devs; d && *d; d++) {
          list->push_back({(*d)->name ? (*d)->name : "", (*d)->vendor ? (*d)->vendor : "",
                           (*d)->model ? (*d)->model : "", (*d)->type ? (*d)->type : ""});
        }
        return SANE_STATUS_GOOD;
      },
      [list](Napi::Env e) -> Napi::Value {
        Napi::Array a = Napi::Array::New(e, list->size());
        for (size_t i = 0; i < list->size(); i++) {
          Napi::Object o = Napi::Object::New(e);
          o.Set("name", (*list)[i].name);
          o.Set("vendor", (*list)[i].vendor);
          o.Set("model", (*list)[i].model);
          o.Set("type", (*list)[i].type);
          a.Set(static_cast<uint32_t>(i), o);
        }
        return a;
      });
  return w->Queue();
}

Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "open(name) needs a device name");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  auto handle = std::make_shared<SANE_Handle>(nullptr);
  auto* w = new PromiseWorker(
      env, "sane_open",
      [name, handle]() {
        std::lock_guard<std::mutex> lock(g_sane);
        if (!g_inited) return SANE_STATUS_INVAL;
        return sane_open(name.c_str(), handle.get());
      },
      [name, handle](Napi::Env e) -> Napi::Value {
        AddonData* data = e.GetInstanceData<AddonData>();
        return data->deviceCtor.New({Napi::External<void>::New(e, *handle), Napi::String::New(e, name)});
      });
  return w->Queue();
}

Napi::Value StrStatus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "strstatus(code) needs a number");
  SANE_Status s = static_cast<SANE_Status>(info[0].As<Napi::Number>().Int32Value());
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", StatusName(s));
  o.Set("message", sane_strstatus(s));
  return o;
}

Napi::Object Statuses(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  for (int i = 0; i <= 13; i++) o.Set(StatusName(static_cast<SANE_Status>(i)), Napi::Number::New(env, i));
  return o;
}

Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  data->deviceCtor = Napi::Persistent(Device::Init(env));
  env.SetInstanceData<AddonData>(data);
  exports.Set("init", Napi::Function::New(env, Init, "init"));
  exports.Set("exit", Napi::Function::New(env, Exit, "exit"));
  exports.Set("isInitialized", Napi::Function::New(env, IsInitialized, "isInitialized"));
  exports.Set("getDevices", Napi::Function::New(env, GetDevices, "getDevices"));
  exports.Set("open", Napi::Function::New(env, Open, "open"));
  exports.Set("strstatus", Napi::Function::New(env, StrStatus, "strstatus"));
  exports.Set("STATUS", Statuses(env));
  exports.Set("SaneDevice", data->deviceCtor.Value());
  return exports;
}

}  // namespace

NODE_API_MODULE(node_sane, InitModule)
