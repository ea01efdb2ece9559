import { DownloadError } from '@logitlab/datasets';
import { describe, expect, it } from 'vitest';
import { summariseDownloadError } from './data';

describe('a failed --download', () => {
  it('is one short line: the file, the mirrors once each, the distinct reasons, and what to do instead', () => {
    const mirrors = [
      'https://ossci-datasets.s3.amazonaws.com/mnist/',
      'https://storage.googleapis.com/cvdf-datasets/mnist/',
      'https://yann.example/exdb/mnist/',
    ];
    const attempts = [1, 2, 3].flatMap(() =>
      mirrors.map((m) => ({ url: `${m}train-images-idx3-ubyte.gz`, error: `fetch failed: getaddrinfo ENOTFOUND ${new URL(m).host}` })),
    );
    const list = attempts.map((a) => `  ${a.url}: ${a.error}`).join('\n');
    const err = new DownloadError(
      `could not download train-images-idx3-ubyte.gz from any of 3 mirror(s):\n${list}`,
      'train-images-idx3-ubyte.gz',
      attempts,
    );
    const message = summariseDownloadError(err, 'mnist', '/data/mnist').message;
    expect(message).toContain('getaddrinfo ENOTFOUND <mirror>');
    expect(message).not.toContain('other reason');
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(err.message.length);
    expect(message).toContain('9 attempt(s) at 3 mirror(s)');
    for (const m of mirrors) expect(message.split(new URL(m).host).length - 1).toBeLessThanOrEqual(2); // host list + its one reason
    expect(message).toContain('--data synthetic');
    expect(message).toContain('/data/mnist');
  });
});
