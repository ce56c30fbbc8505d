// The asynchronous work behind every Promise the binding returns.
#ifndef NODE_SANE_PROMISE_WORKER_H_
#define NODE_SANE_PROMISE_WORKER_H_

#include <napi.h>
#include <sane/sane.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace node_sane {

// A Promise-returning AsyncWorker: `work` runs on a libuv thread and returns a SANE status;
// `done` builds the resolved value on the JS thread when the status is GOOD.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<SANE_Status()>;
  using Done = std::function<Napi::Value(Napi::Env)>;

  PromiseWorker(Napi::Env env, std::string op, Work work, Done done);

  Napi::Promise Queue();

  // Keeps a JS object (the device wrapper, a read buffer) alive while the work runs. The
  // references are released when the worker is deleted, on the JS thread, after OnOK/OnError.
  void Retain(Napi::Object o);

  // Counts this work in a device's in-flight counter until it has run (see Device::JsLock).
  void Track(std::shared_ptr<std::atomic<int>> counter);

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& e) override;

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

}  // namespace node_sane

#endif  // NODE_SANE_PROMISE_WORKER_H_
