// The compiled-step plan's instruction layouts, the JS side's copy of src/plan-layout.h (the addon's). The
// order is the op code; a field prefixed "slot:" is a slot id (-1: absent), "f:" a float32's bits, and a
// trailing "..." a variable-length tail (shapes, geometry). loadNative refuses an addon whose copy differs.
export const PLAN_OPS = [
  { name: 'conv2d', fields: 'slot:x,slot:w,slot:bias,slot:y,act,f:alpha,geom...' },
  { name: 'conv2dBackwardData', fields: 'slot:dy,slot:w,slot:dx,geom...' },
  { name: 'conv2dBackwardFilter', fields: 'slot:x,slot:dy,slot:dw,geom...' },
  { name: 'matMul', fields: 'slot:a,slot:b,slot:c,slot:bias,biasLength,batchA,batchB,m,n,k,transA,transB,act,f:alpha' },
  { name: 'maxPool', fields: 'slot:x,slot:y,geom...' },
  { name: 'maxPoolGrad', fields: 'slot:x,slot:dy,slot:dx,geom...' },
  { name: 'binary', fields: 'op,slot:a,slot:b,slot:out,rank,shapes...' },
  { name: 'compare', fields: 'op,slot:a,slot:b,slot:out,rank,shapes...' },
  { name: 'unary', fields: 'op,slot:x,slot:y,n,f:alpha' },
  { name: 'grad', fields: 'op,slot:dy,slot:a,slot:b,slot:out,n' },
  { name: 'reduceSum', fields: 'slot:x,slot:out,outer,reduced,inner,f:scale' },
  { name: 'reduceMax', fields: 'slot:x,slot:out,outer,reduced,inner' },
  { name: 'transpose', fields: 'slot:x,slot:out,rank,dims...' },
  { name: 'tile', fields: 'slot:x,slot:out,rank,dims...' },
  { name: 'copy', fields: 'slot:x,slot:out,bytes' },
  { name: 'cast', fields: 'slot:x,slot:out,n,from,to' },
  { name: 'logical', fields: 'op,slot:a,slot:b,slot:out,n,aN,bN' },
  { name: 'fill', fields: 'slot:out,bytes' },
  { name: 'select', fields: 'slot:cond,slot:a,slot:b,slot:out,n,elementBytes' },
  { name: 'oneHot', fields: 'slot:indices,slot:out,n,depth,f:on,f:off,outType' },
  { name: 'intBinary', fields: 'op,slot:a,slot:b,slot:out,n,aN,bN' },
  { name: 'fused', fields: 'slot:out,n,inputs,steps,program...' },
] as const;

export type PlanOpName = (typeof PLAN_OPS)[number]['name'];

/** Where the addon's layouts differ from PLAN_OPS, in one line naming the op and both field lists; undefined when equal. */
export function planLayoutMismatch(addon: ReadonlyArray<{ name: string; fields: string }>): string | undefined {
  for (let i = 0; i < Math.max(addon.length, PLAN_OPS.length); i++) {
    const mine = PLAN_OPS[i];
    const theirs = addon[i];
    if (!mine || !theirs)
      return `the addon's plan has ${addon.length} ops, this package's ${PLAN_OPS.length} (op ${i}: ${(mine ?? theirs)?.name} is missing on one side)`;
    if (mine.name !== theirs.name || mine.fields !== theirs.fields)
      return `plan op ${i} is ${theirs.name}(${theirs.fields}) in the addon, expected ${mine.name}(${mine.fields}) (src/plan-layout.h and src/plan-ops.ts differ)`;
  }
  return undefined;
}
