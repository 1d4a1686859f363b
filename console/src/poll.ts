// A page's reloading: every second while something runs, every five otherwise.

import { GlueError } from './glue';
import { signInPage } from './pages/sign-in';
import { currentGeneration, glue, isCurrent, later } from './session';

const POLL_BUSY_MS = 1000;
const POLL_IDLE_MS = 5000;

/** Loads a page now and again while the page is shown: every second while something runs. */
export function poll(load: () => Promise<boolean>, onError: (e: unknown) => void): void {
  const gen = currentGeneration();
  const tick = async () => {
    if (!isCurrent(gen)) return;
    let busy = false;
    try {
      busy = await load();
    } catch (e) {
      if (!isCurrent(gen)) return;
      if (e instanceof GlueError && e.code === 'UnrecognizedClientException' && glue.anonymous) {
        signInPage('This glue-local has an IAM config: sign in with the access key of one of its principals.');
        return;
      }
      onError(e);
    }
    if (!isCurrent(gen)) return;
    later(tick, busy ? POLL_BUSY_MS : POLL_IDLE_MS);
  };
  void tick();
}
