// The device handle: the SaneDevice class open() returns. Its methods are defined in device.cc
// (construction, closing, shared helpers), device-options.cc and device-scan.cc.
#ifndef NODE_SANE_DEVICE_H_
#define NODE_SANE_DEVICE_H_

#include <napi.h>
#include <sane/sane.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "promise-worker.h"
#include "sane-lock.h"

namespace node_sane {

struct DeviceState {
  SANE_Handle handle = nullptr;
  std::string name;
  std::atomic<bool> open{false};             // written under g_sane
  std::shared_ptr<std::atomic<int>> inflight = std::make_shared<std::atomic<int>>(0);
  std::atomic<bool> reading{false};          // a read() is in flight
  std::atomic<bool> cancelRequested{false};  // raised by cancel(), consumed by the reader
};

extern std::mutex g_devices;                   // guards g_open_devices (never held while calling SANE)
extern std::set<DeviceState*> g_open_devices;  // sane_exit() closes them all

class Device : public Napi::ObjectWrap<Device> {
 public:
  static Napi::Function Init(Napi::Env env);

  Device(const Napi::CallbackInfo& info);

  // Runs in the garbage collector's finaliser on the JS thread: never wait for g_sane here (a
  // read on another device could hold it). A device left open is closed on its own thread.
  ~Device() override;

 private:
  std::shared_ptr<DeviceState> state_;

  // Promise-returning methods report bad arguments and closed devices as rejections too.
  Napi::Value RejectOnThrow(const Napi::CallbackInfo& info, Napi::Value (Device::*impl)(const Napi::CallbackInfo&));

  void EnsureOpen(Napi::Env env);

  // The few calls that read descriptors on the JS thread take g_sane there. They refuse to run
  // while this device has work in flight (a read, a start) instead of blocking the event loop
  // behind it.
  std::unique_lock<std::mutex> JsLock(Napi::Env env);

  // Resolves the option argument (index or name) to an index; must hold g_sane.
  SANE_Int ResolveOption(Napi::Env env, Napi::Value which, const SANE_Option_Descriptor** out);

  // The prelude of the option methods: the device is open, nothing is in flight, and the option
  // argument (index or name) names an option. Takes g_sane only for the lookup.
  SANE_Int ResolveOpenOption(Napi::Env env, Napi::Value which, const SANE_Option_Descriptor** out);

  // The tail of every asynchronous method: the JS device object stays alive and the work counts
  // as in flight (JsLock refuses descriptor reads meanwhile) until the worker has finished.
  Napi::Value QueueOnDevice(const Napi::CallbackInfo& info, PromiseWorker* w);

  Napi::Value GetName(const Napi::CallbackInfo& info);
  Napi::Value GetIsOpen(const Napi::CallbackInfo& info);

  Napi::Value Close(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::CloseImpl); }
  Napi::Value CloseImpl(const Napi::CallbackInfo& info);

  // device-options.cc
  Napi::Value GetOptionDescriptors(const Napi::CallbackInfo& info);
  Napi::Value GetOption(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::GetOptionImpl); }
  Napi::Value GetOptionImpl(const Napi::CallbackInfo& info);
  Napi::Value SetOption(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::SetOptionImpl); }
  Napi::Value SetOptionImpl(const Napi::CallbackInfo& info);
  Napi::Value SetOptionAuto(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::SetOptionAutoImpl); }
  Napi::Value SetOptionAutoImpl(const Napi::CallbackInfo& info);

  // device-scan.cc
  Napi::Value GetParameters(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::GetParametersImpl); }
  Napi::Value GetParametersImpl(const Napi::CallbackInfo& info);
  Napi::Value Start(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::StartImpl); }
  Napi::Value StartImpl(const Napi::CallbackInfo& info);
  // read(buffer, { maxWaitMs }) fills `buffer` from the device. It resolves with
  // { bytes, status } once the buffer is full, a status other than GOOD arrives (EOF at the end
  // of the frame, CANCELLED after cancel(), or a fault such as JAMMED), or maxWaitMs has passed
  // with at least one byte read (so slow devices still report progress). Device statuses are
  // data here, not rejections: the bytes read before a fault are valid and must not be lost.
  Napi::Value Read(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::ReadImpl); }
  Napi::Value ReadImpl(const Napi::CallbackInfo& info);
  // cancel(): with a read in flight, asks the reading thread to cancel between two sane_read()
  // calls (the read then resolves with status CANCELLED); otherwise calls sane_cancel() on a
  // worker thread. Resolves when the request is recorded or the cancel has been done.
  Napi::Value Cancel(const Napi::CallbackInfo& info) { return RejectOnThrow(info, &Device::CancelImpl); }
  Napi::Value CancelImpl(const Napi::CallbackInfo& info);
  Napi::Value SetIoMode(const Napi::CallbackInfo& info);
};

}  // namespace node_sane

#endif  // NODE_SANE_DEVICE_H_
