#!/usr/bin/env node
// What `pnpm logitlab` runs. Before `pnpm build` the CLI does not exist yet: say so in one line
// instead of Node's 16-line ERR_MODULE_NOT_FOUND stack trace.
import fs from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write('logitlab: the CLI is not built yet: run `pnpm build` first (or `pnpm tour`, which builds and runs the tour)\n');
  process.exit(1);
}
await import(entry.href);
