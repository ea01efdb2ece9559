import { ShardSpecError } from './errors';

export interface Shard {
  index: number;
  count: number;
}

function integer(text: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) throw new ShardSpecError(`${what} must be an integer; got '${text}'`);
  return n;
}

function checked(index: number, count: number, source: string): Shard {
  if (count < 1) throw new ShardSpecError(`${source}: the number of shards must be at least 1; got ${count}`);
  if (index < 0 || index >= count)
    throw new ShardSpecError(`${source}: shard index ${index} is out of range; expected 0..${count - 1} for ${count} shards`);
  return { index, count };
}

/** `--shard I/N` (0-based I, as Kubernetes' JOB_COMPLETION_INDEX). */
export function parseShard(text: string): Shard {
  const m = /^\s*([^/]+)\/([^/]+)\s*$/.exec(text);
  if (!m) throw new ShardSpecError(`--shard expects I/N (shard I of N, 0-based); got '${text}'`);
  return checked(integer(m[1]!, '--shard index'), integer(m[2]!, '--shard count'), `--shard ${text}`);
}

/**
 * The shard of this process: --shard when given, else a Kubernetes Indexed Job's JOB_COMPLETION_INDEX
 * with JOB_COMPLETIONS (the Job's completions, which the Job does not export by itself: the manifest
 * sets it), else the whole dataset as shard 0/1.
 */
export function resolveShard(flag: Shard | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  if (flag) return flag;
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.JOB_COMPLETIONS;
  if (index === undefined && count === undefined) return { index: 0, count: 1 };
  if (index === undefined || count === undefined) {
    throw new ShardSpecError(
      `JOB_COMPLETION_INDEX and JOB_COMPLETIONS must be set together; got only ${index === undefined ? 'JOB_COMPLETIONS' : 'JOB_COMPLETION_INDEX'}`,
    );
  }
  return checked(
    integer(index, 'JOB_COMPLETION_INDEX'),
    integer(count, 'JOB_COMPLETIONS'),
    `JOB_COMPLETION_INDEX=${index} JOB_COMPLETIONS=${count}`,
  );
}

/** The batches of a shard: a contiguous block, block sizes differing by at most one; the same for every process. */
export function shardBatches(batches: number, shard: Shard): number[] {
  const from = Math.floor((shard.index * batches) / shard.count);
  const to = Math.floor(((shard.index + 1) * batches) / shard.count);
  return Array.from({ length: to - from }, (_, i) => from + i);
}
