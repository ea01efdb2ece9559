// The plan's fused elementwise instruction (plan-fused.cc): a chain of binary, unary and gradient ops over one
// element count, run block by block so every intermediate stays in an L1-sized register instead of the arena.
#pragma once
#include <cstddef>
#include <cstdint>

// Throws unless the fused instruction's program is well formed and every slot it names holds what it reads or writes.
void checkFused(size_t n, const int32_t* fields, int count, const int64_t* slotBytes, size_t slotCount);
// Runs a checked fused instruction; slots[s] is slot s's first byte.
void runFused(const int32_t* fields, char* const* slots);
