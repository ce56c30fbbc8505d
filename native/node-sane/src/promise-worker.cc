// PromiseWorker: see promise-worker.h.

#include "promise-worker.h"

#include "names.h"

namespace node_sane {

PromiseWorker::PromiseWorker(Napi::Env env, std::string op, Work work, Done done)
    : Napi::AsyncWorker(env, op.c_str()),
      deferred_(Napi::Promise::Deferred::New(env)),
      op_(std::move(op)),
      work_(std::move(work)),
      done_(std::move(done)) {}

Napi::Promise PromiseWorker::Queue() {
  Napi::Promise p = deferred_.Promise();
  Napi::AsyncWorker::Queue();
  return p;
}

void PromiseWorker::Retain(Napi::Object o) { kept_.push_back(Napi::Persistent(o)); }

void PromiseWorker::Track(std::shared_ptr<std::atomic<int>> counter) {
  counter->fetch_add(1);
  counter_ = std::move(counter);
}

void PromiseWorker::Execute() {
  try {
    status_ = work_();
  } catch (const std::exception& e) {
    message_ = e.what();
  }
  if (counter_) counter_->fetch_sub(1);
}

void PromiseWorker::OnOK() {
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

void PromiseWorker::OnError(const Napi::Error& e) { deferred_.Reject(e.Value()); }

}  // namespace node_sane
