// The BUILT CLI as a process: what a user sees when the install is not built, when stdout is closed
// early (`| head -1`), on Ctrl-C, and when a run fails before its data has loaded. Needs `pnpm build`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(appDir, 'dist/cli.js');
const built = fs.existsSync(cli);
if (!built) console.warn('[trainer cli-process] SKIPPED: apps/trainer/dist/cli.js is missing; run `pnpm build` first');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-cli-'));
const env = { ...process.env, FORCE_COLOR: '0', LOGITLAB_DATA_DIR: path.join(tmp, 'no-data') };

function logitlab(args: string[], timeout = 300_000) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', timeout, env });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function oneLineError(r: { status: number | null; stderr: string }): string {
  expect(r.status).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

describe('the logitlab launcher', () => {
  it('says in one line to build when the CLI is not built yet', () => {
    const fake = path.join(tmp, 'fresh-clone', 'apps/trainer/bin');
    fs.mkdirSync(fake, { recursive: true });
    fs.copyFileSync(path.join(appDir, 'bin/logitlab.mjs'), path.join(fake, 'logitlab.mjs'));
    const r = spawnSync(process.execPath, [path.join(fake, 'logitlab.mjs'), 'tour'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(oneLineError(r)).toMatch(/not built yet: run `pnpm build` first/);
  });
});

describe.skipIf(!built)('logitlab as a process (built, plain node)', () => {
  it('--version prints the version', () => {
    const r = logitlab(['--version'], 60_000);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')).version);
  });

  it('a run whose data fails to load leaves no run folder for --resume to accept', () => {
    const dir = path.join(tmp, 'no-data-run');
    expect(oneLineError(logitlab(['experiment', 'heads', '--data', 'mnist', '--out', dir]))).toMatch(/DataNotFoundError/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('LOGITLAB_DATA_DIR on /proc is refused in one line instead of spinning in mkdir', () => {
    const dir = path.join(tmp, 'proc-data');
    const r = spawnSync(process.execPath, [cli, 'experiment', 'heads', '--data', 'mnist', '--download', '--out', dir], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...env, LOGITLAB_DATA_DIR: '/proc/self' },
    });
    expect(r.error).toBeUndefined(); // not killed by the timeout
    expect(oneLineError(r)).toMatch(/LOGITLAB_DATA_DIR=\/proc\/self is on a kernel pseudo file system/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('an invalid config.json names the file', () => {
    const dir = path.join(tmp, 'bad-config');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{"command": "train",');
    expect(oneLineError(logitlab(['evaluate', dir], 60_000))).toContain(`${path.join(dir, 'config.json')} is not valid JSON`);
  });

  it('keeps training when stdout is closed early (| head -1), instead of dying of EPIPE', async () => {
    const dir = path.join(tmp, 'epipe');
    const child = spawn(process.execPath, [cli, 'train', 'bn-mlp', '--quick', '--epochs', '1', '--out', dir], {
      cwd: tmp,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // what `head -1` does after its line
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/EPIPE/);
    expect(fs.existsSync(path.join(dir, 'summary.json'))).toBe(true);
  }, 300_000);

  it('Ctrl-C prints the command that resumes the run', async () => {
    const dir = path.join(tmp, 'interrupted');
    const child = spawn(process.execPath, [cli, 'train', 'convnet', '--quick', '--epochs', '3', '--out', dir], {
      cwd: tmp,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const deadline = Date.now() + 240_000;
    while (!fs.existsSync(path.join(dir, 'metrics.jsonl')) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const line = stderr.trim().split('\n').at(-1)!;
    expect(line).toBe('logitlab: interrupted (SIGINT); continue with: logitlab train convnet --quick --epochs 3 --resume interrupted');
  }, 300_000);

  it('a resumed heads run keeps the pitfall warnings of the heads it does not train again', () => {
    const dir = path.join(tmp, 'heads');
    const warnings = () =>
      fs
        .readFileSync(path.join(dir, 'report.md'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('- `nllLoss'));
    expect(logitlab(['experiment', 'heads', '--quick', '--epochs', '1', '--out', dir], 600_000).status).toBe(0);
    const first = warnings();
    expect(first.length).toBeGreaterThanOrEqual(2); // sigmoid and softmax outputs into nllLoss
    const r = logitlab(['experiment', 'heads', '--resume', dir], 600_000);
    expect(r.status, r.stderr).toBe(0);
    expect(warnings()).toEqual(first);
  }, 900_000);
});
