// Several processes checkpointing into one folder: each write removes temp files that killed writers left
// behind, and must never remove a live writer's (that made 1-5 of 6-10 writers die with a raw ENOENT
// from their rename). Real child processes, because the race is between processes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { whole } from './writers.probe';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'logitlab-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WRITERS = 6;
const WRITES = 40;

describe('several processes writing checkpoints into one folder', () => {
  it('all finish, nobody sees a torn file, no temp file is left', { timeout: 240_000 }, async () => {
    const probe = fileURLToPath(new URL('./writers.probe.ts', import.meta.url));
    // the root tsconfig's paths map @logitlab/* to src, as vitest's aliases do: no build needed
    const root = fileURLToPath(new URL('../../../..', import.meta.url));
    const outs = await Promise.all(
      Array.from({ length: WRITERS }, (_, id) =>
        run(process.execPath, ['--import', 'tsx', probe, dir, String(id), String(WRITES)], {
          cwd: fileURLToPath(new URL('../..', import.meta.url)),
          env: { ...process.env, TSX_TSCONFIG_PATH: `${root}/tsconfig.json` },
          encoding: 'utf8',
        }),
      ),
    );
    const results = outs.map(
      (o) =>
        JSON.parse(o.stdout.trim().split('\n').at(-1) as string) as {
          writes: number;
          typed: string[];
          raw: string[];
          torn: number;
        },
    );
    for (const r of results) {
      expect(r.raw).toEqual([]);
      expect(r.torn).toBe(0);
      // nothing here is a reason to refuse: renames onto one name replace each other atomically
      expect(r.typed).toEqual([]);
      expect(r.writes).toBe(WRITES);
    }
    const left = readdirSync(dir);
    expect(left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    for (const n of left) expect(whole(new Uint8Array(readFileSync(join(dir, n)))), n).toBe(true);
  });
});
