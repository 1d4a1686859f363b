// Sign in: an access key checked with one signed call, kept in this tab.

import { h, replace } from '../dom';
import { type Credentials, describeError, Glue, GlueError, saveCredentials, saveRegion } from '../glue';
import { renderHeader } from '../header';
import { view } from '../layout';
import { workflowsHref } from '../links';
import { route } from '../router';
import { glue, isCurrent, leavePage, useGlue } from '../session';
import { banner } from '../widgets';

export function signInPage(reason: string | null): void {
  const gen = leavePage();
  const msg = h('div', { class: 'messages' });
  if (reason) msg.append(banner('info', reason));
  const field = (id: string, label: string, type = 'text', value = '') =>
    h('label', { class: 'field' }, h('span', {}, label), h('input', { id, name: id, type, value, autocomplete: 'off', spellcheck: 'false' }));
  const form = h(
    'form',
    { class: 'sign-in', id: 'sign-in-form' },
    h('h1', {}, 'Sign in'),
    h(
      'p',
      { class: 'hint' },
      'The console signs every Glue request with SigV4 in this browser, like the aws CLI or an SDK, so the IAM policies of the principal whose key you enter apply. ',
      'The key stays in this tab (session storage) and is never sent: only signatures are.',
    ),
    msg,
    field('access-key-id', 'Access key ID', 'text', glue.anonymous ? '' : glue.credentials.accessKeyId),
    field('secret-access-key', 'Secret access key', 'password'),
    field('session-token', 'Session token (optional)', 'password'),
    field('sign-in-region', 'Region', 'text', glue.region),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in'), h('a', { href: workflowsHref(), class: 'button' }, 'Cancel')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement).value.trim();
    const creds: Credentials = {
      accessKeyId: value('access-key-id'),
      secretAccessKey: value('secret-access-key'),
      sessionToken: value('session-token') || undefined,
    };
    const region = value('sign-in-region') || 'us-east-1';
    if (!creds.accessKeyId || !creds.secretAccessKey) {
      replace(msg, banner('error', 'Enter an access key ID and its secret access key.'));
      return;
    }
    const candidate = new Glue(creds, region);
    try {
      await candidate.call('ListWorkflows', { MaxResults: 1 });
    } catch (e) {
      // Allowed to sign in without ListWorkflows: the key and signature were accepted.
      if (!(e instanceof GlueError && e.code === 'AccessDeniedException')) {
        if (isCurrent(gen)) replace(msg, banner('error', describeError(e)));
        return;
      }
    }
    saveCredentials(creds);
    saveRegion(region);
    useGlue(candidate);
    route();
  });
  renderHeader();
  replace(view, form);
  (form.querySelector('#access-key-id') as HTMLInputElement).focus();
}
