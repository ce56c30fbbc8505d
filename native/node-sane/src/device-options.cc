// The device's options: descriptors (read on the JS thread) and get/set/auto (on worker
// threads).

#include "device.h"

#include "names.h"
#include "option-values.h"

namespace node_sane {

Napi::Value Device::GetOptionDescriptors(const Napi::CallbackInfo& info) {
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

SANE_Int Device::ResolveOption(Napi::Env env, Napi::Value which, const SANE_Option_Descriptor** out) {
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

SANE_Int Device::ResolveOpenOption(Napi::Env env, Napi::Value which, const SANE_Option_Descriptor** out) {
  auto lock = JsLock(env);
  return ResolveOption(env, which, out);
}

Napi::Value Device::GetOptionImpl(const Napi::CallbackInfo& info) {
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

Napi::Value Device::SetOptionImpl(const Napi::CallbackInfo& info) {
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

Napi::Value Device::SetOptionAutoImpl(const Napi::CallbackInfo& info) {
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

}  // namespace node_sane
