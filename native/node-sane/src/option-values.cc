// Option values: conversion between SANE's word buffers and JS values, and option descriptors
// as JS objects.

#include "option-values.h"

#include <cstring>

#include "names.h"

namespace node_sane {

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

}  // namespace node_sane
