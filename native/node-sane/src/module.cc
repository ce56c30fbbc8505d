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
//
// The sources: module.cc (this file: the module's functions and registration), device.h/.cc
// (the device handle), device-options.cc, device-scan.cc (the read loop), promise-worker.h/.cc
// (the async work behind every Promise), option-values.h/.cc, names.h/.cc (statuses and errors),
// sane-lock.h (the global SANE lock and init state).

#include <napi.h>
#include <sane/sane.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "device.h"
#include "names.h"
#include "promise-worker.h"
#include "sane-lock.h"

namespace node_sane {

// The SANE lock and init state (sane-lock.h).
std::mutex g_sane;
std::atomic<bool> g_inited{false};
SANE_Int g_version_code = 0;

namespace {

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

}  // namespace node_sane

using node_sane::InitModule;  // NODE_API_MODULE takes a plain name
NODE_API_MODULE(node_sane, InitModule)
