// The device handle: construction, closing, and the helpers every method shares.

#include "device.h"

#include <thread>

namespace node_sane {

std::mutex g_devices;
std::set<DeviceState*> g_open_devices;

Napi::Function Device::Init(Napi::Env env) {
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

Device::Device(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Device>(info), state_(std::make_shared<DeviceState>()) {
  // Constructed only by open(): the first argument is an External holding the opened handle.
  if (info.Length() < 2 || !info[0].IsExternal() || !info[1].IsString())
    throw Napi::TypeError::New(info.Env(), "SaneDevice cannot be constructed directly; use open()");
  state_->handle = info[0].As<Napi::External<void>>().Data();
  state_->name = info[1].As<Napi::String>().Utf8Value();
  state_->open = true;
  std::lock_guard<std::mutex> lock(g_devices);
  g_open_devices.insert(state_.get());
}

Device::~Device() {
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

Napi::Value Device::RejectOnThrow(const Napi::CallbackInfo& info, Napi::Value (Device::*impl)(const Napi::CallbackInfo&)) {
  try {
    return (this->*impl)(info);
  } catch (const Napi::Error& e) {
    Napi::Promise::Deferred d = Napi::Promise::Deferred::New(info.Env());
    d.Reject(e.Value());
    return d.Promise();
  }
}

void Device::EnsureOpen(Napi::Env env) {
  if (!state_->open || !g_inited) throw Napi::Error::New(env, "device " + state_->name + " is closed");
}

std::unique_lock<std::mutex> Device::JsLock(Napi::Env env) {
  EnsureOpen(env);
  if (state_->inflight->load() > 0)
    throw Napi::Error::New(env, "device " + state_->name + " is busy (an operation is in progress)");
  return std::unique_lock<std::mutex>(g_sane);
}

Napi::Value Device::GetName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), state_->name); }

Napi::Value Device::GetIsOpen(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), state_->open && g_inited); }

Napi::Value Device::CloseImpl(const Napi::CallbackInfo& info) {
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

Napi::Value Device::QueueOnDevice(const Napi::CallbackInfo& info, PromiseWorker* w) {
  w->Retain(info.This().As<Napi::Object>());
  w->Track(state_->inflight);
  return w->Queue();
}

}  // namespace node_sane
