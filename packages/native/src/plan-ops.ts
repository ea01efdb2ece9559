// The addon's instruction layouts, the JS side's copy of src/plan-layout.h: every native kernel, eager (runOp) or in a
// compiled step (runPlan), is one of these. The order is the op code; a field prefixed "slot:" is a slot id (-1:
// absent), "f:" a float32's bits, and a trailing "..." a variable-length tail (shapes, geometry, any rank). `types`
// declares each slot field's element type in order (f32, i32, u8 = tfjs's bool, f64, any = bytes): the dtypes the
// op supports, which runOp enforces and the eager kernels test before calling (@logitlab/backends' run-op.ts). loadNative refuses an addon whose
// copy differs.
export const PLAN_OPS = [
  { name: 'conv2d', fields: 'slot:x,slot:w,slot:bias,slot:y,act,f:alpha,geom...', types: 'f32,f32,f32,f32' },
  { name: 'conv2dBackwardData', fields: 'slot:dy,slot:w,slot:dx,geom...', types: 'f32,f32,f32' },
  { name: 'conv2dBackwardFilter', fields: 'slot:x,slot:dy,slot:dw,geom...', types: 'f32,f32,f32' },
  {
    name: 'matMul',
    fields: 'slot:a,slot:b,slot:c,slot:bias,biasLength,batchA,batchB,m,n,k,transA,transB,act,f:alpha',
    types: 'f32,f32,f32,f32',
  },
  { name: 'maxPool', fields: 'slot:x,slot:y,geom...', types: 'f32,f32' },
  { name: 'maxPoolGrad', fields: 'slot:x,slot:dy,slot:dx,geom...', types: 'f32,f32,f32' },
  { name: 'binary', fields: 'op,slot:a,slot:b,slot:out,rank,shapes...', types: 'f32,f32,f32' },
  { name: 'compare', fields: 'op,slot:a,slot:b,slot:out,rank,shapes...', types: 'f32,f32,u8' },
  { name: 'unary', fields: 'op,slot:x,slot:y,n,f:alpha', types: 'f32,f32' },
  { name: 'grad', fields: 'op,slot:dy,slot:a,slot:b,slot:out,n', types: 'f32,f32,f32,f32' },
  { name: 'reduceSum', fields: 'slot:x,slot:out,outer,reduced,inner,f:scale', types: 'f32,f32' },
  { name: 'reduceMax', fields: 'slot:x,slot:out,outer,reduced,inner', types: 'f32,f32' },
  { name: 'transpose', fields: 'slot:x,slot:out,rank,dims...', types: 'f32,f32' },
  { name: 'tile', fields: 'slot:x,slot:out,rank,dims...', types: 'f32,f32' },
  { name: 'copy', fields: 'slot:x,slot:out,bytes', types: 'any,any' },
  { name: 'cast', fields: 'slot:x,slot:out,n,from,to', types: 'any,any' },
  { name: 'logical', fields: 'op,slot:a,slot:b,slot:out,n,aN,bN', types: 'u8,u8,u8' },
  { name: 'fill', fields: 'slot:out,bytes', types: 'any' },
  { name: 'select', fields: 'slot:cond,slot:a,slot:b,slot:out,n,elementBytes', types: 'u8,any,any,any' },
  { name: 'oneHot', fields: 'slot:indices,slot:out,n,depth,f:on,f:off,outType', types: 'i32,any' },
  { name: 'intBinary', fields: 'op,slot:a,slot:b,slot:out,n,aN,bN', types: 'i32,i32,i32' },
  { name: 'batchNorm', fields: 'slot:x,slot:out,slot:mul,slot:sub,slot:add,rows,channels', types: 'f32,f32,f64,f64,f64' },
  { name: 'fused', fields: 'slot:out,n,inputs,steps,program...', types: 'f32' },
] as const;

export type PlanOpName = (typeof PLAN_OPS)[number]['name'];

export interface PlanOpLayout {
  name: string;
  fields: string;
  types: string;
}

/** Where the addon's layouts differ from PLAN_OPS, in one line naming the op and both field lists; undefined when equal. */
export function planLayoutMismatch(addon: ReadonlyArray<Partial<PlanOpLayout> & { name: string }>): string | undefined {
  for (let i = 0; i < Math.max(addon.length, PLAN_OPS.length); i++) {
    const mine = PLAN_OPS[i];
    const theirs = addon[i];
    if (!mine || !theirs)
      return `the addon's plan has ${addon.length} ops, this package's ${PLAN_OPS.length} (op ${i}: ${(mine ?? theirs)?.name} is missing on one side)`;
    if (mine.name !== theirs.name || mine.fields !== theirs.fields || mine.types !== theirs.types)
      return `plan op ${i} is ${theirs.name}(${theirs.fields}; ${theirs.types}) in the addon, expected ${mine.name}(${mine.fields}; ${mine.types}) (src/plan-layout.h and src/plan-ops.ts differ)`;
  }
  return undefined;
}
