// The shared bottom of logitlab: what every package needs once. Isomorphic; file-system helpers are in
// `@logitlab/core/node` so browser bundles never see node: imports.
export { LogitlabError, AtomicWriteError, type AtomicWriteStage } from './errors';
export { Rng, mixSeed } from './rng';
export { alongAxis } from './along-axis';
export { firstNonFinite, firstNonFiniteAsync, indexAt } from './finite';
export { announceHostDraw, listenHostDraws, type HostDrawListener, type HostDrawRefill } from './host-draw';
export { crc32, crc32Update } from './crc32';
export {
  setPitfallWarnings,
  pitfallWarningsEnabled,
  setPitfallWarningSink,
  resetPitfallWarnings,
  type PitfallSink,
  callSite,
  registerPitfallSource,
  shouldCheck,
  warnPitfall,
  markPitfallChecked,
} from './pitfalls';
export { markNoSyncReads, syncReadsWork } from './sync-reads';
export { deferCheck, collectChecks, firstFailedCheck, type DeferredCheck, type CheckVerdict } from './deferred-checks';
export { replayable, isReplayable, replayableLike } from './replayable';
