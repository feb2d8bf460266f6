/**
 * Resting GTD orders in a binary min-heap ordered by (expiresAtMs, priority), with each node's
 * position stored in the node, so that the next expiry is O(1), and expiring, cancelling or filling a
 * GTD order is O(log n). Ties on expiry go to the earlier priority, so expiry order is deterministic.
 */
import type { OrderNode } from './order-node';

const before = (a: OrderNode, b: OrderNode): boolean =>
  a.expiresAtMs < b.expiresAtMs || (a.expiresAtMs === b.expiresAtMs && a.priority < b.priority);

export class ExpiryHeap {
  readonly nodes: OrderNode[] = [];

  get size(): number {
    return this.nodes.length;
  }

  peek(): OrderNode | null {
    return this.nodes.length === 0 ? null : (this.nodes[0] as OrderNode);
  }

  push(node: OrderNode): void {
    node.heapIndex = this.nodes.length;
    this.nodes.push(node);
    this.up(node.heapIndex);
  }

  remove(node: OrderNode): void {
    const i = node.heapIndex;
    const nodes = this.nodes;
    const last = nodes.pop() as OrderNode;
    node.heapIndex = -1;
    if (last === node) return;
    nodes[i] = last;
    last.heapIndex = i;
    this.up(i);
    this.down(last.heapIndex);
  }

  private up(i: number): void {
    const nodes = this.nodes;
    const node = nodes[i] as OrderNode;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = nodes[p] as OrderNode;
      if (!before(node, parent)) break;
      nodes[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    nodes[i] = node;
    node.heapIndex = i;
  }

  private down(i: number): void {
    const nodes = this.nodes;
    const n = nodes.length;
    const node = nodes[i] as OrderNode;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && before(nodes[r] as OrderNode, nodes[l] as OrderNode)) c = r;
      const child = nodes[c] as OrderNode;
      if (!before(child, node)) break;
      nodes[i] = child;
      child.heapIndex = i;
      i = c;
    }
    nodes[i] = node;
    node.heapIndex = i;
  }

  /** Heap order and back-pointers hold: for checkInvariants. Returns a problem or null. */
  problem(): string | null {
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as OrderNode;
      if (node.heapIndex !== i) return `expiry heap: ${node.id} at ${i} records index ${node.heapIndex}`;
      if (i > 0 && before(node, nodes[(i - 1) >> 1] as OrderNode)) return `expiry heap: ${node.id} is before its parent`;
    }
    return null;
  }
}
