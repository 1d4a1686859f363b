// Pieces every page uses: banners, status badges, breadcrumbs.

import { h } from './dom';
import { takeFlash } from './session';

export function banner(kind: 'info' | 'error', text: string): HTMLElement {
  return h('div', { class: `banner ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** The message left for this page, if any, as a banner. */
export function flashBanner(): HTMLElement | null {
  const f = takeFlash();
  return f ? banner(f.kind, f.text) : null;
}

export function statusBadge(status: string | undefined): HTMLElement {
  const s = (status ?? 'NONE').toLowerCase();
  return h('span', { class: `status status-${s}`, 'data-status': status ?? '' }, status ?? '—');
}

export function breadcrumbs(...items: [string, string | null][]): HTMLElement {
  const nav = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumbs' });
  items.forEach(([label, href], i) => {
    if (i > 0) nav.append(h('span', { class: 'sep' }, '›'));
    nav.append(href ? h('a', { href }, label) : h('span', {}, label));
  });
  return nav;
}
