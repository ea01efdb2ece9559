// Decompression bombs: a ~0.5 MB gzip whose IDX header declares (and whose stream inflates to) far more
// than the file can hold. The cases run in a fresh child process (test/idx-bomb.probe.ts), whose peak RSS then
// measures them alone.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RSS_LIMIT_MB = 300;

describe('decompression bombs', () => {
  it(`are refused with typed errors while the process stays under ${RSS_LIMIT_MB} MB RSS`, { timeout: 120_000 }, () => {
    const probe = fileURLToPath(new URL('../../test/idx-bomb.probe.ts', import.meta.url));
    // the root tsconfig's paths map @logitlab/* to src, as vitest's aliases do: no build needed
    const root = fileURLToPath(new URL('../../../..', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', probe], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, TSX_TSCONFIG_PATH: `${root}/tsconfig.json` },
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, string> & {
      bytes: number;
      startMb: number;
      maxRssMb: number;
    };
    console.log(
      `bomb: ${r.bytes} byte gzip declaring 470 MB, inflating to 512 MiB; peak RSS of the probe process ${r.maxRssMb.toFixed(0)} MB (${r.startMb.toFixed(0)} MB at its start)`,
    );
    expect(r.bytes).toBeLessThan(600_000);
    // a cached catalog file with a known digest: the IDX digest check inflates at most the catalog size
    expect(r.cachedWithChecksum).toMatch(/^ChecksumError: /);
    // digests off: the catalog size still caps it, from the header alone
    expect(r.cachedUnverified).toMatch(/^IdxFormatError:too-large: .*declares 470400016 bytes, more than the 7840016/);
    // an unknown file: the default cap (128 MiB)
    expect(r.parseIdx).toMatch(/^IdxFormatError:too-large: bomb: IDX header declares 470400016 bytes, more than the 134217728/);
    expect(r.idxBytes).toMatch(/^IdxFormatError:too-large: /);
    // a header that understates the payload stops the stream at the declared size
    expect(r.understated).toMatch(/^IdxFormatError:trailing-bytes: .*more than the 784016 bytes its IDX header declares/);
    expect(r.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  });
});
