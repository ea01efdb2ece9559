import './style.css';
import * as tf from '@tensorflow/tfjs-core';
import { on, status } from './app';
import { BackendSelector } from './ui/backend-selector';
import { getModel, setFallbackTrainer } from './models/zoo';
import { trainInWorker } from './train/zoo-trainer';
import { goToTab, parseHash, readParam, writeParams } from './state/url';
import { getItem, setItem } from './state/store';
import { linkWeights } from './state/weights-link';
import type { Page } from './pages/page';

// models/ imports no training code: the zoo's fallback for models without shipped weights is injected here
setFallbackTrainer(trainInWorker);

// Pages are loaded on first visit so the first paint does not wait for every model. The tabs, in
// their order, are this table's keys (index.html holds a button and a panel for each).
const loaders = {
  classify: () => import('./pages/classify'),
  explain: () => import('./pages/explain'),
  generate: () => import('./pages/generate'),
  train: () => import('./pages/train'),
  // the ONNX importer (protobufjs and the schema) loads with this tab only
  model: () => import('./pages/your-model'),
} satisfies Record<string, () => Promise<{ createPage: (el: HTMLElement) => Page }>>;
type Tab = keyof typeof loaders;
const TABS = Object.keys(loaders) as Tab[];
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
    const button = document.getElementById(`tab-${t}`);
    button?.setAttribute('aria-selected', String(t === tab));
    // Roving tabindex (WAI-ARIA tabs pattern): only the selected tab is in the Tab order.
    button?.setAttribute('tabindex', t === tab ? '0' : '-1');
    const panel = document.getElementById(`page-${t}`);
    panel?.classList.toggle('active', t === tab);
    if (panel) panel.hidden = t !== tab;
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
  const t = parseHash(location.hash).tab;
  return (TABS as readonly string[]).includes(t) ? (t as Tab) : 'classify';
}

/** Arrow keys, Home and End move between tabs and select them (automatic activation). */
function wireTabKeys(): void {
  document.querySelector('[role="tablist"]')?.addEventListener('keydown', (e) => {
    const ev = e as KeyboardEvent;
    const i = TABS.indexOf(current);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length] as Tab;
    document.getElementById(`tab-${tab}`)?.focus();
    select(tab);
  });
}

let shown = '';
/** Shows `tab` now (its attributes change before any await) and puts it in the URL. */
function select(tab: Tab): void {
  shown = tab;
  goToTab(tab);
  void show(tab);
}

async function main(): Promise<void> {
  for (const t of TABS) document.getElementById(`tab-${t}`)?.addEventListener('click', () => select(t));
  wireTabKeys();
  window.addEventListener('hashchange', () => {
    // Parameter writes use replaceState; a hashchange is a navigation (tab click, back, pasted link).
    if (tabFromHash() !== shown) void show((shown = tabFromHash()));
  });
  const host = document.getElementById('backend-selector');
  if (!host) throw new Error('missing #backend-selector');
  const selector = new BackendSelector(host);
  // Exposed for the end-to-end tests and for poking at from the console.
  window.logitlab = { selector, tf, getModel };
  // A link's backend wins over the one remembered from the last visit.
  const wanted = readParam('backend') ?? (await getItem<string>('backend')) ?? 'auto';
  await selector.init(wanted);
  on('backend', (name) => {
    writeParams({ backend: name });
    void setItem('backend', name);
    void pageFor(current).then((p) => p.refresh());
  });
  const banner = document.getElementById('weights-link-warning');
  if (banner) await linkWeights(banner);
  await show((shown = tabFromHash()));
  document.body.dataset.ready = 'true';
}

declare global {
  interface Window {
    logitlab: { selector: BackendSelector; tf: typeof tf; getModel: typeof getModel };
  }
}

void main();
