// The run graph: laid out left to right by dagre, drawn as SVG. Triggers are rectangles, jobs and
// crawlers circles, coloured by state; copied nodes have a dashed ring, nodes marked for resume a ↻ badge.

import dagre from '@dagrejs/dagre';
import type { Graph } from './model';
import { STATE_LABELS, type NodeView } from './model';

const SVG = 'http://www.w3.org/2000/svg';
const TRIGGER_W = 120;
const TRIGGER_H = 36;
const CIRCLE_R = 26;
const LABEL_H = 18; // a job or crawler's name, below its circle

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

function clip(name: string, max: number): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

export interface DrawOptions {
  selected: string | null;
  resume: Set<string>;
  onSelect: (uniqueId: string) => void;
}

export function drawRunGraph(graph: Graph, views: Map<string, NodeView>, opts: DrawOptions): SVGSVGElement {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 44, ranksep: 56, marginx: 16, marginy: LABEL_H + 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodes = graph.Nodes ?? [];
  for (const n of nodes) {
    if (n.Type === 'TRIGGER') g.setNode(n.UniqueId, { width: TRIGGER_W, height: TRIGGER_H });
    // the name goes below the circle, into the space nodesep keeps between nodes
    else g.setNode(n.UniqueId, { width: 2 * CIRCLE_R + 8, height: 2 * CIRCLE_R + 8 });
  }
  for (const e of graph.Edges ?? []) {
    if (g.hasNode(e.SourceId) && g.hasNode(e.DestinationId)) g.setEdge(e.SourceId, e.DestinationId);
  }
  dagre.layout(g);
  const size = g.graph();
  const width = Math.max(size.width ?? 0, 200);
  const height = Math.max(size.height ?? 0, 80);

  const svg = el('svg', {
    class: 'run-graph',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': 'Run graph',
  });
  svg.style.minWidth = `${Math.round(Math.min(width, 900) * 0.6)}px`; // fit the pane, but stay legible (scrolls beyond)
  svg.append(
    el(
      'defs',
      {},
      el(
        'marker',
        { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }),
      ),
    ),
  );

  // dagre ends edges on the node's box; a job or crawler is the circle inside it
  const types = new Map(nodes.map((n) => [n.UniqueId, n.Type]));
  const onCircle = (id: string, toward: { x: number; y: number }, gap: number) => {
    const p = g.node(id);
    const c = { x: p.x, y: p.y };
    const dx = toward.x - c.x;
    const dy = toward.y - c.y;
    const len = Math.hypot(dx, dy) || 1;
    return { x: c.x + (dx * (CIRCLE_R + gap)) / len, y: c.y + (dy * (CIRCLE_R + gap)) / len };
  };
  const edges = el('g', { class: 'edges' });
  for (const e of g.edges()) {
    const pts = [...(g.edge(e).points ?? [])];
    if (pts.length < 2) continue;
    if (types.get(e.v) !== 'TRIGGER') pts[0] = onCircle(e.v, pts[1], 2);
    if (types.get(e.w) !== 'TRIGGER') pts[pts.length - 1] = onCircle(e.w, pts[pts.length - 2], 3);
    // a smooth path through dagre's control points
    let d = `M ${pts[0].x} ${pts[0].y}`;
    for (let i = 1; i < pts.length - 1; i++) {
      const mid = { x: (pts[i].x + pts[i + 1].x) / 2, y: (pts[i].y + pts[i + 1].y) / 2 };
      d += ` Q ${pts[i].x} ${pts[i].y} ${i === pts.length - 2 ? pts[i + 1].x : mid.x} ${i === pts.length - 2 ? pts[i + 1].y : mid.y}`;
    }
    if (pts.length === 2) d += ` L ${pts[1].x} ${pts[1].y}`;
    edges.append(el('path', { d, class: 'edge', 'marker-end': 'url(#arrow)' }));
  }
  svg.append(edges);

  const layer = el('g', { class: 'nodes' });
  for (const n of nodes) {
    const view = views.get(n.UniqueId);
    const pos = g.node(n.UniqueId);
    if (!view || !pos) continue;
    const marked = opts.resume.has(n.UniqueId);
    const classes = ['node', `node-${n.Type.toLowerCase()}`, `state-${view.state}`];
    if (view.copied) classes.push('copied');
    if (marked) classes.push('resume');
    if (opts.selected === n.UniqueId) classes.push('selected');
    const title = `${n.Type.toLowerCase()} ${n.Name}: ${STATE_LABELS[view.state]}${view.copied ? ' (copied from the previous run)' : ''}${marked ? ' — marked for resume' : ''}`;
    const group = el('g', {
      class: classes.join(' '),
      transform: `translate(${pos.x}, ${pos.y})`,
      tabindex: 0,
      role: 'button',
      'aria-label': title,
      'data-node-id': n.UniqueId,
      'data-node-name': n.Name,
      'data-node-type': n.Type,
      'data-state': view.state,
      'data-copied': String(view.copied),
      'data-resume': String(marked),
    });
    group.append(el('title', {}, title));
    if (n.Type === 'TRIGGER') {
      if (view.copied) {
        group.append(el('rect', { class: 'copied-ring', x: -TRIGGER_W / 2 - 4, y: -TRIGGER_H / 2 - 4, width: TRIGGER_W + 8, height: TRIGGER_H + 8, rx: 8 }));
      }
      group.append(el('rect', { class: 'shape', x: -TRIGGER_W / 2, y: -TRIGGER_H / 2, width: TRIGGER_W, height: TRIGGER_H, rx: 5 }));
      group.append(el('text', { class: 'label', x: 0, y: 4, 'text-anchor': 'middle' }, clip(n.Name, 16)));
    } else {
      const cy = 0;
      if (view.copied) group.append(el('circle', { class: 'copied-ring', cx: 0, cy, r: CIRCLE_R + 5 }));
      group.append(el('circle', { class: 'shape', cx: 0, cy, r: CIRCLE_R }));
      group.append(el('text', { class: 'glyph', x: 0, y: cy + 5, 'text-anchor': 'middle' }, n.Type === 'CRAWLER' ? 'C' : 'J'));
      group.append(el('text', { class: 'label', x: 0, y: cy + CIRCLE_R + LABEL_H - 2, 'text-anchor': 'middle' }, clip(n.Name, 14)));
      if (marked) {
        const badge = el('g', { class: 'resume-badge', transform: `translate(${CIRCLE_R * 0.75}, ${cy - CIRCLE_R * 0.75})` });
        badge.append(el('circle', { r: 9 }), el('text', { x: 0, y: 4, 'text-anchor': 'middle' }, '↻'));
        group.append(badge);
      }
    }
    group.addEventListener('click', () => opts.onSelect(n.UniqueId));
    group.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        opts.onSelect(n.UniqueId);
      }
    });
    layer.append(group);
  }
  svg.append(layer);
  return svg;
}
