// Option values: conversion between SANE's word buffers and JS values, and option descriptors
// as JS objects.
#ifndef NODE_SANE_OPTION_VALUES_H_
#define NODE_SANE_OPTION_VALUES_H_

#include <napi.h>
#include <sane/sane.h>

#include <vector>

namespace node_sane {

// The option's value (boolean, number or array of numbers, string; null for other types).
Napi::Value ValueToJs(Napi::Env env, const SANE_Option_Descriptor* d, const std::vector<SANE_Word>& buf);

// Allocates a buffer of at least the option's size (in words, so alignment is right).
std::vector<SANE_Word> OptionBuffer(const SANE_Option_Descriptor* d);

// Writes a JS value into the option's buffer; throws a TypeError/RangeError for a value the
// option cannot take.
void JsToValue(Napi::Env env, const SANE_Option_Descriptor* d, Napi::Value v, std::vector<SANE_Word>& buf);

// name, title, description, type, unit, size, count, cap, isActive, isSettable, constraint.
Napi::Object DescriptorToJs(Napi::Env env, SANE_Int index, const SANE_Option_Descriptor* d);

}  // namespace node_sane

#endif  // NODE_SANE_OPTION_VALUES_H_
