import { LogitlabError } from '@logitlab/core';
import { describe, expect, it } from 'vitest';
import * as api from './index';

// Every error class the package exports, found from the exports so a new one cannot be forgotten.
type ErrorClass = new (message: string) => Error;
const errorClasses = (Object.entries(api) as [string, unknown][]).filter(
  (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
);

describe('exported error classes', () => {
  it('are found', () => {
    expect(errorClasses.map(([name]) => name)).toContain('ExplainOptionsError');
    expect(errorClasses.length).toBeGreaterThanOrEqual(6);
  });

  it("keep their export name as `name` when a minifier renames the class (the web's production build does)", () => {
    for (const [exported, Cls] of errorClasses) {
      const own = Object.getOwnPropertyDescriptor(Cls, 'name')!;
      // what a minifier does to `class ExplainOptionsError` in the web's bundle
      Object.defineProperty(Cls, 'name', { value: 'j', configurable: true });
      try {
        const e = new Cls('a message');
        expect(e.name, exported).toBe(exported);
        expect(e, exported).toBeInstanceOf(LogitlabError);
        expect(String(e), exported).toBe(`${exported}: a message`);
      } finally {
        Object.defineProperty(Cls, 'name', own);
      }
    }
  });
});
