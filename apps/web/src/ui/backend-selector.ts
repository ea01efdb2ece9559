import * as tf from '@tensorflow/tfjs-core';
import { cacheOnHost, listBackends, useBackend, type BackendInfo, type BackendName } from '@logitlab/backends';
import { setPitfallWarnings } from '@logitlab/layers';
import { emit, exclusive, status } from '../app';
import { h } from './dom';

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

export interface BackendState {
  active: BackendInfo | null;
  autoChose: string | null;
  works: Partial<Record<BrowserBackend, { works: boolean; reason?: string }>>;
}

/** Readable summary of a backend description, e.g. "wasm · simd · 2 threads". */
export function describe(info: BackendInfo): string {
  const parts: string[] = [info.name];
  if (info.name === 'wasm') {
    parts.push(info.simd ? 'simd' : 'no simd');
    parts.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  }
  return parts.join(' · ');
}

/**
 * The header's backend picker. `auto` is resolved once at start-up (what the library picks for
 * this browser); switching calls `useBackend`, which sets tfjs's global backend without a reload.
 * Model variables stay valid: tfjs moves a tensor's data to the new backend the first time it is read.
 */
export class BackendSelector {
  readonly state: BackendState = { active: null, autoChose: null, works: {} };
  private readonly select: HTMLSelectElement;
  private readonly chips: HTMLElement;
  private readonly info: HTMLElement;

  constructor(host: HTMLElement) {
    this.select = h('select', { id: 'backend-select', 'aria-label': 'tfjs backend' });
    for (const name of ['auto', ...BROWSER_BACKENDS]) this.select.append(h('option', { value: name }, name));
    this.chips = h('span', { class: 'chips' });
    this.info = h('span', { class: 'info', id: 'backend-info' }, 'starting…');
    host.append(h('div', { class: 'backend-row' }, h('label', { for: 'backend-select' }, 'backend'), this.select, this.chips), this.info);
    this.select.addEventListener('change', () => void this.switchTo(this.select.value as BrowserBackend | 'auto'));
  }

  /** Probes every backend, then starts `wanted` (from a link or the last visit), else the one `auto` picks. */
  async init(wanted = 'auto'): Promise<void> {
    try {
      const list = await listBackends();
      for (const b of list) {
        if ((BROWSER_BACKENDS as readonly string[]).includes(b.name)) {
          this.state.works[b.name as BrowserBackend] = { works: b.installed && b.works, reason: b.reason };
        }
      }
    } catch (e) {
      status(`could not list backends: ${(e as Error).message}`, true);
    }
    const known = (BROWSER_BACKENDS as readonly string[]).includes(wanted) && this.state.works[wanted as BrowserBackend]?.works !== false;
    if (!known || !(await this.switchTo(wanted as BrowserBackend))) {
      await this.switchTo('auto');
      this.state.autoChose = this.state.active?.name ?? null;
    }
    this.render();
  }

  async switchTo(name: BrowserBackend | 'auto'): Promise<BackendInfo | null> {
    this.select.disabled = true;
    try {
      const info = await exclusive(async () => {
        // Weights move to the new backend lazily, by a synchronous read of the old one; from webgpu
        // that read is unreliable, so every variable is read back asynchronously first.
        await cacheOnHost();
        return useBackend(name as BackendName);
      });
      this.state.active = info;
      // The libraries' pitfall checks read a few values back synchronously; webgpu cannot do that
      // reliably (software adapters return zeros or lose the device), so they pause while it is active.
      setPitfallWarnings(info.name !== 'webgpu');
      if (name !== 'auto') this.state.works[name] = { works: true };
      status(
        `backend ${describe(info)} ready (tfjs ${info.version}, ${crossOriginIsolated ? 'cross-origin isolated' : 'not isolated: wasm runs single-threaded'})`,
      );
      emit('backend', info.name);
      return info;
    } catch (e) {
      if (name !== 'auto') this.state.works[name] = { works: false, reason: (e as Error).message };
      status(`backend ${name} failed: ${(e as Error).message}; staying on ${tf.getBackend()}`, true);
      return null;
    } finally {
      this.select.disabled = false;
      this.select.value = this.state.active?.name ?? 'auto';
      this.render();
    }
  }

  private render(): void {
    this.chips.replaceChildren(
      ...BROWSER_BACKENDS.map((name) => {
        const w = this.state.works[name];
        const cls = this.state.active?.name === name ? 'chip active' : w ? (w.works ? 'chip ok' : 'chip fail') : 'chip';
        return h('span', { class: cls, title: w?.reason ?? (w?.works ? 'initialised' : 'not tried'), 'data-backend': name }, name);
      }),
    );
    const a = this.state.active;
    this.info.textContent = `${a ? describe(a) : 'none'}${this.state.autoChose ? ` · auto chose ${this.state.autoChose}` : ''}`;
    // Machine-readable state for the end-to-end tests.
    document.body.dataset.backend = a?.name ?? '';
    document.body.dataset.threads = String(a?.threads ?? 0);
    document.body.dataset.autoBackend = this.state.autoChose ?? '';
  }
}
