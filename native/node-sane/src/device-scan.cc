// Scanning on a device: parameters, start, the read loop and its cancellation, the I/O mode.

#include "device.h"

#include <chrono>
#include <thread>

#include "names.h"

namespace node_sane {

Napi::Value Device::GetParametersImpl(const Napi::CallbackInfo& info) {
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

Napi::Value Device::StartImpl(const Napi::CallbackInfo& info) {
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

Napi::Value Device::ReadImpl(const Napi::CallbackInfo& info) {
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

Napi::Value Device::CancelImpl(const Napi::CallbackInfo& info) {
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

Napi::Value Device::SetIoMode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EnsureOpen(env);
  bool nb = info.Length() > 0 && info[0].ToBoolean().Value();
  auto lock = JsLock(env);
  SANE_Status s = sane_set_io_mode(state_->handle, nb ? SANE_TRUE : SANE_FALSE);
  return Napi::String::New(env, StatusName(s));
}

}  // namespace node_sane
