import fs from 'node:fs';
import { attributionMethods } from '@logitlab/explain';
import { expect, it } from 'vitest';
import { methodsTable } from './table';

const README = new URL('../../README.md', import.meta.url);
const BLOCK = /(<!-- methods:start -->)[\s\S]*?(<!-- methods:end -->)/;

it("the README's method table is the registry's", () => {
  const text = fs.readFileSync(README, 'utf8');
  expect(text).toMatch(BLOCK);
  const table = methodsTable(attributionMethods());
  const fresh = text.replace(BLOCK, (_, start: string, end: string) => `${start}\n${table}\n${end}`);
  if (process.env.LOGITLAB_UPDATE_DOCS) fs.writeFileSync(README, fresh);
  else
    expect(
      text,
      'README method table is stale: LOGITLAB_UPDATE_DOCS=1 pnpm exec vitest run packages/explain/src/methods/table.test.ts',
    ).toBe(fresh);
  for (const m of attributionMethods()) expect(table).toContain(`| \`${m.name}\` |`);
});
