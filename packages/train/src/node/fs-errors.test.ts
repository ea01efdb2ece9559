// File-system faults under fileStorage and jsonlFileSink are typed errors naming the path and the
// cause, not raw errno errors: a file where the checkpoint folder should be (ENOTDIR), a folder named
// like a checkpoint (EISDIR), a metric log path that is a folder (EISDIR).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError, latestCheckpoint, TrainError } from '../index';
import { fileStorage, jsonlFileSink } from './index';

const root = mkdtempSync(join(tmpdir(), 'logitlab-fs-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function typed(p: Promise<unknown>, cls: typeof TrainError = CheckpointError): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(cls);
  return e as Error;
}

describe('fileStorage on a broken folder', () => {
  it('ENOTDIR: the checkpoint folder is a file', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    const s = fileStorage(file);
    expect((await typed(s.list())).message).toBe(
      `could not list checkpoints in ${file}: a part of the path is a file, not a directory (ENOTDIR)`,
    );
    expect((await typed(s.write('a.safetensors', new Uint8Array(1)))).message).toMatch(
      /\((EEXIST|ENOTDIR)\) while writing checkpoint .*plain-file/,
    );
    expect((await typed(s.read('a.safetensors'))).message).toMatch(/could not read checkpoint .*plain-file.a\.safetensors: .*\(ENOTDIR\)/);
    expect((await typed(s.remove('a.safetensors'))).message).toMatch(/could not remove checkpoint .*\(ENOTDIR\)/);
    expect((await typed(latestCheckpoint(s))).message).toMatch(/ENOTDIR/);
  });

  it('EISDIR: a folder named like a checkpoint', async () => {
    const dir = join(root, 'run');
    mkdirSync(join(dir, 'checkpoint-epoch-00001.safetensors'), { recursive: true });
    writeFileSync(join(dir, 'checkpoint-epoch-00001.safetensors', 'inside'), '');
    const s = fileStorage(dir);
    expect((await typed(latestCheckpoint(s))).message).toMatch(
      /could not read checkpoint .*checkpoint-epoch-00001\.safetensors: the path is a directory, not a file \(EISDIR\)/,
    );
    expect((await typed(s.remove('checkpoint-epoch-00001.safetensors'))).message).toMatch(
      /could not remove checkpoint .*: the path is a directory, not a file \(ERR_FS_EISDIR\)/,
    );
    await typed(s.write('checkpoint-epoch-00001.safetensors', new Uint8Array(1)));
  });
});

describe('jsonlFileSink', () => {
  it('on a folder: a TrainError when the sink is made, not an EISDIR mid-training', () => {
    const dir = join(root, 'logs');
    mkdirSync(dir);
    expect(() => jsonlFileSink(dir)).toThrow(TrainError);
    expect(() => jsonlFileSink(dir)).toThrow(/metric log .*logs is a directory; expected a file path/);
  });

  it('under a file (ENOTDIR): typed, naming the path', () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, '');
    expect(() => jsonlFileSink(join(file, 'metrics.jsonl'))).toThrow(TrainError);
    expect(() => jsonlFileSink(join(file, 'metrics.jsonl'))).toThrow(
      /could not create the folder of the metric log .*: a file exists where a folder is needed \(EEXIST\)/,
    );
  });

  it('a path that turns into a folder later: the append is typed', () => {
    const file = join(root, 'later.jsonl');
    const sink = jsonlFileSink(file);
    sink('{"a":1}');
    rmSync(file);
    mkdirSync(file);
    expect(() => sink('{"a":2}')).toThrow(
      /could not append to the metric log .*later\.jsonl: the path is a directory, not a file \(EISDIR\)/,
    );
  });
});
