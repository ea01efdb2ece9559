// The compiled-step plan's instruction set: one named argument layout per op, written once here and checked
// field by field against the JS side's copy (PLAN_OPS in index.ts) when the addon loads, so the two cannot drift
// apart silently. An instruction is [code, fieldCount, fields...]; a field is an integer, a slot id (a value in the
// arena or an external buffer), or a float32's bits. Fields after the named ones form the op's tail (shapes).
#pragma once

struct PlanOpLayout {
  const char* name;
  const char* fields;  // comma-separated; "slot:" marks slot ids, "f:" float bits, a trailing "..." a tail
};

// The order is the op code. Append only.
inline constexpr PlanOpLayout kPlanOps[] = {
    {"conv2d", "slot:x,slot:w,slot:bias,slot:y,act,f:alpha,geom..."},
    {"conv2dBackwardData", "slot:dy,slot:w,slot:dx,geom..."},
    {"conv2dBackwardFilter", "slot:x,slot:dy,slot:dw,geom..."},
    {"matMul", "slot:a,slot:b,slot:c,slot:bias,biasLength,batchA,batchB,m,n,k,transA,transB,act,f:alpha"},
    {"maxPool", "slot:x,slot:y,geom..."},
    {"maxPoolGrad", "slot:x,slot:dy,slot:dx,geom..."},
    {"binary", "op,slot:a,slot:b,slot:out,rank,shapes..."},
    {"compare", "op,slot:a,slot:b,slot:out,rank,shapes..."},
    {"unary", "op,slot:x,slot:y,n,f:alpha"},
    {"grad", "op,slot:dy,slot:a,slot:b,slot:out,n"},
    {"reduceSum", "slot:x,slot:out,outer,reduced,inner,f:scale"},
    {"reduceMax", "slot:x,slot:out,outer,reduced,inner"},
    {"transpose", "slot:x,slot:out,rank,dims..."},
    {"tile", "slot:x,slot:out,rank,dims..."},
    {"copy", "slot:x,slot:out,bytes"},
    {"cast", "slot:x,slot:out,n,from,to"},
    {"logical", "op,slot:a,slot:b,slot:out,n,aN,bN"},
    {"fill", "slot:out,bytes"},
    {"select", "slot:cond,slot:a,slot:b,slot:out,n,elementBytes"},
    {"oneHot", "slot:indices,slot:out,n,depth,f:on,f:off,outType"},
    {"intBinary", "op,slot:a,slot:b,slot:out,n,aN,bN"},
    {"fused", "slot:out,n,inputs,steps,program..."},
};
inline constexpr int kPlanOpCount = sizeof(kPlanOps) / sizeof(kPlanOps[0]);
