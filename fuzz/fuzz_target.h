// Every fuzz target defines LLVMFuzzerTestOneInput. Built with
// -Dfuzzing=true (clang) it links libFuzzer; otherwise replay_main.cpp
// runs it over the committed corpus as a normal test.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
