import { OnnxImportError } from './errors';
import type { NodeProto } from './proto/types';

/** How a node is named in errors: its name and operator, or its index when it has no name. */
export function nodeLabel(node: NodeProto, index: number): string {
  const name = node.name.length > 200 ? `${node.name.slice(0, 200)}...` : node.name;
  return name ? `node '${name}' (${node.opType})` : `node #${index} (${node.opType})`;
}

/**
 * The nodes in an order where every input is computed before it is read (Kahn's algorithm). A name read but never produced, a name produced twice and a cycle
 * are each an OnnxImportError naming the node.
 */
export function topologicalOrder(nodes: readonly NodeProto[], given: ReadonlySet<string>): number[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const out of n.output) {
      if (out === '') continue;
      if (given.has(out) || producer.has(out)) {
        throw new OnnxImportError(
          `output '${out}' is already ${given.has(out) ? 'a graph input or initializer' : `produced by ${nodeLabel(nodes[producer.get(out)!]!, producer.get(out)!)}`}`,
          nodeLabel(n, i),
        );
      }
      producer.set(out, i);
    }
  });
  const waiting = Array.from({ length: nodes.length }, () => 0);
  const readers = new Map<number, number[]>();
  nodes.forEach((n, i) => {
    for (const input of new Set(n.input)) {
      if (input === '' || given.has(input)) continue;
      const p = producer.get(input);
      if (p === undefined)
        throw new OnnxImportError(`input '${input}' is neither a graph input, an initializer nor any node's output`, nodeLabel(n, i));
      waiting[i]!++;
      const list = readers.get(p);
      if (list) list.push(i);
      else readers.set(p, [i]);
    }
  });
  const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  const order: number[] = [];
  // a queue read by index: linear in nodes and edges whatever order the file lists them in
  for (let k = 0; k < ready.length; k++) {
    const i = ready[k]!;
    order.push(i);
    for (const r of readers.get(i) ?? []) if (--waiting[r]! === 0) ready.push(r);
  }
  if (order.length < nodes.length) {
    const stuck = waiting.findIndex((w) => w > 0);
    throw new OnnxImportError(
      'the graph has a cycle: this node depends, through other nodes, on its own output',
      nodeLabel(nodes[stuck]!, stuck),
    );
  }
  return order;
}
