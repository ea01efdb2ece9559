// The compiled-step plan's instruction set: one named argument layout per op, written once here and checked
// field by field against the JS side's copy (PLAN_OPS in index.ts) when the addon loads, so the two cannot drift
// apart silently. An instruction is [code, fieldCount, fields...]; a field is an integer, a slot id (a value in the
// arena or an external buffer), or a float32's bits. Fields after the named ones form the op's tail (shapes).
#pragma once

struct PlanOpLayout {
  const char* name;
  const char* fields;  // comma-separated; "slot:" marks slot ids, "f:" float bits, a trailing "..." a tail
  // What each slot field holds, in the order of the slot fields: f32, i32, u8 (tfjs's bool), f64, or any (the
  // op reads bytes). This is the op's supported dtypes, declared: runOp refuses a buffer of another type, and
  // the eager kernels send inputs of another dtype to the cpu kernel before calling (backends' run-op.ts).
  // Ranks are not limited: shapes are tails of any length, rank 0 included.
  const char* types;
};

// The order is the op code. Append only.
inline constexpr PlanOpLayout kPlanOps[] = {
    {"conv2d", "slot:x,slot:w,slot:bias,slot:y,act,f:alpha,geom...", "f32,f32,f32,f32"},
    {"conv2dBackwardData", "slot:dy,slot:w,slot:dx,geom...", "f32,f32,f32"},
    {"conv2dBackwardFilter", "slot:x,slot:dy,slot:dw,geom...", "f32,f32,f32"},
    {"matMul", "slot:a,slot:b,slot:c,slot:bias,biasLength,batchA,batchB,m,n,k,transA,transB,act,f:alpha", "f32,f32,f32,f32"},
    {"maxPool", "slot:x,slot:y,geom...", "f32,f32"},
    {"maxPoolGrad", "slot:x,slot:dy,slot:dx,geom...", "f32,f32,f32"},
    {"binary", "op,slot:a,slot:b,slot:out,rank,shapes...", "f32,f32,f32"},
    {"compare", "op,slot:a,slot:b,slot:out,rank,shapes...", "f32,f32,u8"},
    {"unary", "op,slot:x,slot:y,n,f:alpha", "f32,f32"},
    {"grad", "op,slot:dy,slot:a,slot:b,slot:out,n", "f32,f32,f32,f32"},
    {"reduceSum", "slot:x,slot:out,outer,reduced,inner,f:scale", "f32,f32"},
    {"reduceMax", "slot:x,slot:out,outer,reduced,inner", "f32,f32"},
    {"transpose", "slot:x,slot:out,rank,dims...", "f32,f32"},
    {"tile", "slot:x,slot:out,rank,dims...", "f32,f32"},
    {"copy", "slot:x,slot:out,bytes", "any,any"},
    {"cast", "slot:x,slot:out,n,from,to", "any,any"},
    {"logical", "op,slot:a,slot:b,slot:out,n,aN,bN", "u8,u8,u8"},
    {"fill", "slot:out,bytes", "any"},
    {"select", "slot:cond,slot:a,slot:b,slot:out,n,elementBytes", "u8,any,any,any"},
    {"oneHot", "slot:indices,slot:out,n,depth,f:on,f:off,outType", "i32,any"},
    {"intBinary", "op,slot:a,slot:b,slot:out,n,aN,bN", "i32,i32,i32"},
    // out = add + (x - sub) * mul over the last axis (channels), in doubles: FusedBatchNorm's folded parameters
    {"batchNorm", "slot:x,slot:out,slot:mul,slot:sub,slot:add,rows,channels", "f32,f32,f64,f64,f64"},
    // plan-fused.cc: a chain of elementwise ops over one element count (its input slots are in the program tail)
    {"fused", "slot:out,n,inputs,steps,program...", "f32"},
};
inline constexpr int kPlanOpCount = sizeof(kPlanOps) / sizeof(kPlanOps[0]);
