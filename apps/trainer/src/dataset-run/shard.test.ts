import { describe, expect, it } from 'vitest';
import { ShardSpecError } from './errors';
import { parseShard, resolveShard, shardBatches } from './shard';

describe('shards', () => {
  it('parses I/N and reads a Kubernetes Indexed Job environment; --shard wins over the environment', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '4' })).toEqual({ index: 1, count: 4 });
    expect(resolveShard({ index: 0, count: 2 }, { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '4' })).toEqual({ index: 0, count: 2 });
    expect(resolveShard(undefined, {})).toEqual({ index: 0, count: 1 });
  });

  it('splits batches into contiguous blocks that cover every batch once, for any N', () => {
    for (const batches of [0, 1, 6, 7, 313]) {
      for (const n of [1, 2, 3, 8]) {
        const all = Array.from({ length: n }, (_, i) => shardBatches(batches, { index: i, count: n })).flat();
        expect(all).toEqual(Array.from({ length: batches }, (_, b) => b));
      }
    }
    expect(shardBatches(7, { index: 1, count: 3 })).toEqual([2, 3]);
  });

  it('bad input: out of range, N of 0, not integers, half an environment', () => {
    expect(() => parseShard('3/3')).toThrow(ShardSpecError);
    expect(() => parseShard('3/3')).toThrow(/shard index 3 is out of range; expected 0..2 for 3 shards/);
    expect(() => parseShard('-1/3')).toThrow(/out of range/);
    expect(() => parseShard('0/0')).toThrow(/number of shards must be at least 1; got 0/);
    expect(() => parseShard('1.5/3')).toThrow(/--shard index must be an integer; got '1.5'/);
    expect(() => parseShard('2')).toThrow(/--shard expects I\/N/);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/must be set together; got only JOB_COMPLETION_INDEX/);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '5', JOB_COMPLETIONS: '5' })).toThrow(
      /JOB_COMPLETION_INDEX=5 JOB_COMPLETIONS=5: shard index 5 is out of range/,
    );
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: 'x', JOB_COMPLETIONS: '2' })).toThrow(
      /JOB_COMPLETION_INDEX must be an integer; got 'x'/,
    );
  });
});
