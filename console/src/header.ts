// The header: region, who is signed in, sign in and out.

import { h, replace } from './dom';
import { ANONYMOUS, Glue, saveCredentials, saveRegion } from './glue';
import { header } from './layout';
import { databasesHref, workflowsHref } from './links';
import { signInPage } from './pages/sign-in';
import { route } from './router';
import { glue, useGlue } from './session';
import { usingFallbackCrypto } from './subtle';

export function renderHeader(): void {
  const region = h('input', {
    id: 'region',
    value: glue.region,
    size: 12,
    'aria-label': 'Region',
    title: 'Region of the credential scope: glue-local keeps state per account and region',
    onchange: (ev: Event) => {
      const value = (ev.target as HTMLInputElement).value.trim() || 'us-east-1';
      saveRegion(value);
      useGlue(new Glue(glue.credentials, value));
      route();
    },
  });
  const who = glue.anonymous
    ? h('span', { class: 'who', title: 'Without an IAM config glue-local accepts any access key' }, 'no sign-in (server without IAM config)')
    : h('span', { class: 'who', id: 'signed-in-as' }, 'access key ', h('code', {}, glue.credentials.accessKeyId));
  const button = glue.anonymous
    ? h('button', { type: 'button', class: 'link', onclick: () => signInPage(null) }, 'Sign in')
    : h(
        'button',
        {
          type: 'button',
          class: 'link',
          id: 'sign-out',
          onclick: () => {
            saveCredentials(null);
            useGlue(new Glue(ANONYMOUS, glue.region));
            route();
          },
        },
        'Sign out',
      );
  replace(
    header,
    h('a', { class: 'brand', href: workflowsHref() }, h('span', { class: 'logo' }, '◆'), ' glue-local console'),
    h('nav', { class: 'sections', 'aria-label': 'Sections' }, h('a', { href: workflowsHref(), id: 'nav-workflows' }, 'Workflows'), h('a', { href: databasesHref(), id: 'nav-databases' }, 'Databases')),
    h('div', { class: 'session' }, h('label', {}, 'Region ', region), who, button, usingFallbackCrypto ? h('span', { class: 'who', title: 'crypto.subtle is unavailable on this insecure origin' }, '(JS SHA-256)') : null),
  );
}
