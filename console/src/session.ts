// What outlives a page: the signed-in client, a message for the next page, and which page is shown
// (each page has a generation; answers that arrive after the page was left are dropped).

import { ANONYMOUS, Glue, loadCredentials, loadRegion } from './glue';

interface Flash {
  kind: 'info' | 'error';
  text: string;
}

export let glue = new Glue(loadCredentials() ?? ANONYMOUS, loadRegion());
let generation = 0;
let timer: number | undefined;
let flash: Flash | null = null;

export function useGlue(client: Glue): void {
  glue = client;
}

/** Stops the shown page's polling; returns the generation of the page shown next. */
export function leavePage(): number {
  clearTimeout(timer);
  return ++generation;
}

export const isCurrent = (gen: number) => gen === generation;

/** Runs `tick` after `ms` unless another page is shown first. */
export function later(tick: () => void, ms: number): void {
  timer = window.setTimeout(tick, ms);
}

export function currentGeneration(): number {
  return generation;
}

/** A message for the next page shown. */
export function setFlash(kind: Flash['kind'], text: string): void {
  flash = { kind, text };
}

export function takeFlash(): Flash | null {
  const f = flash;
  flash = null;
  return f;
}
