import { describe, expect, it } from 'vitest';
import { InterruptedError, interruptibly, requestStop } from './interrupt';

describe('signals during an interruptible command', () => {
  it('outside one, a signal is left to the handler (which exits at once)', () => {
    expect(requestStop('SIGTERM')).toBe(false);
  });

  it('inside one, the first signal aborts its work with an InterruptedError (143 for SIGTERM, 130 for SIGINT); a second is left to the handler', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      let asked: boolean[] = [];
      const reason = await interruptibly(async (s) => {
        await new Promise<void>((resolve) => {
          setImmediate(() => {
            asked = [requestStop(signal), requestStop(signal)];
            resolve();
          });
        });
        return s.reason as unknown;
      });
      expect(asked).toEqual([true, false]);
      expect(reason).toBeInstanceOf(InterruptedError);
      expect((reason as InterruptedError).exitCode).toBe(code);
      expect((reason as InterruptedError).message).toBe(`interrupted (${signal})`);
      // and after the work, signals go back to the handler
      expect(requestStop(signal)).toBe(false);
    }
  });

  it('a work that fails leaves the handler in charge again', async () => {
    await expect(interruptibly(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(requestStop('SIGINT')).toBe(false);
  });
});
