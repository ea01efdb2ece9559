import { readParam, writeParams } from './url';

/**
 * Ties a select to URL parameter `key`: a link's value is restored when the menu offers it (any other
 * value keeps the menu's default, as a stale link to a renamed option should), and the choice the user
 * makes is written back. Call it once the menu holds its options.
 */
export function linkSelect(select: HTMLSelectElement, key: string): void {
  const wanted = readParam(key);
  if (wanted !== null && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
  select.addEventListener('change', () => writeParams({ [key]: select.value }));
}
