// The page's two parts: the header (region, who is signed in) and the view, which each page fills.

import { h } from './dom';

export const header = h('header', { class: 'top' });
export const view = h('main', { id: 'view' });
document.getElementById('app')!.append(header, view);
