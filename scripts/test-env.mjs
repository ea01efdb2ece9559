// The environment test-all gives each step. Vitest (tinyrainbow) colours its output even into a pipe;
// a CI log or a file is not a terminal, so colour goes off there unless the user forces it.
export function stepEnv(env, isTTY) {
  if (isTTY || env.FORCE_COLOR) return { ...env };
  return { ...env, NO_COLOR: '1' };
}
