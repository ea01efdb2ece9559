import type { LayerRow } from '../models/onnx-model';
import { h } from './dom';

/** An imported graph's layers as a table: state-dict path, class, output shape (batch axis first, as N). */
export function layerTable(rows: readonly LayerRow[]): HTMLElement {
  return h(
    'table',
    { class: 'layer-list' },
    h('caption', { class: 'visually-hidden' }, 'the layers of the imported model, in the order the graph runs them'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'layer'), h('th', { scope: 'col' }, 'type'), h('th', { scope: 'col' }, 'output'))),
    h(
      'tbody',
      {},
      ...rows.map((r) => h('tr', {}, h('td', {}, h('code', {}, r.name)), h('td', {}, r.type), h('td', {}, `[N, ${r.shape.join(', ')}]`))),
    ),
  );
}
