import './style.css';
import * as tf from '@tensorflow/tfjs-core';
import { on, status } from './app';
import { BackendSelector } from './ui/backend-selector';
import { getModel } from './models/zoo';
import type { Page } from './pages/page';

const TABS = ['classify', 'explain', 'generate', 'train'] as const;
type Tab = (typeof TABS)[number];

// Pages are loaded on first visit so the first paint does not wait for every model.
const loaders: Record<Tab, () => Promise<{ createPage: (el: HTMLElement) => Page }>> = {
  classify: () => import('./pages/classify'),
  explain: () => import('./pages/explain'),
  generate: () => import('./pages/generate'),
  train: () => import('./pages/train'),
};
const pages = new Map<Tab, Promise<Page>>();
let current: Tab = 'classify';

function pageFor(tab: Tab): Promise<Page> {
  let p = pages.get(tab);
  if (!p) {
    const el = document.getElementById(`page-${tab}`);
    if (!el) throw new Error(`missing #page-${tab}`);
    p = loaders[tab]().then((m) => m.createPage(el));
    pages.set(tab, p);
  }
  return p;
}

async function show(tab: Tab): Promise<void> {
  current = tab;
  for (const t of TABS) {
    document.getElementById(`tab-${t}`)?.setAttribute('aria-selected', String(t === tab));
    document.getElementById(`page-${t}`)?.classList.toggle('active', t === tab);
  }
  document.body.dataset.page = tab;
  try {
    const page = await pageFor(tab);
    await page.show();
  } catch (e) {
    console.error(e);
    status(`${tab}: ${(e as Error).message}`, true);
  }
}

function tabFromHash(): Tab {
  const t = location.hash.slice(1);
  return (TABS as readonly string[]).includes(t) ? (t as Tab) : 'classify';
}

async function main(): Promise<void> {
  for (const t of TABS) {
    document.getElementById(`tab-${t}`)?.addEventListener('click', () => {
      location.hash = t;
    });
  }
  window.addEventListener('hashchange', () => void show(tabFromHash()));
  const host = document.getElementById('backend-selector');
  if (!host) throw new Error('missing #backend-selector');
  const selector = new BackendSelector(host);
  // Exposed for the end-to-end tests and for poking at from the console.
  window.logitlab = { selector, tf, getModel };
  await selector.init();
  on('backend', () => void pageFor(current).then((p) => p.refresh()));
  await show(tabFromHash());
  document.body.dataset.ready = 'true';
}

declare global {
  interface Window {
    logitlab: { selector: BackendSelector; tf: typeof tf; getModel: typeof getModel };
  }
}

void main();
