// The workflows of the region, with their last run.

import { h, replace } from '../dom';
import { describeError } from '../glue';
import { view } from '../layout';
import { historyHref, runHref } from '../links';
import { formatTime, inProgress, shortId, type Workflow } from '../model';
import { poll } from '../poll';
import { glue } from '../session';
import { banner, breadcrumbs, flashBanner, statusBadge } from '../widgets';

export function workflowsPage(): void {
  document.title = 'Workflows — glue-local';
  const messages = h('div', { class: 'messages' }, flashBanner());
  const body = h('tbody', {}, h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'Loading…')));
  replace(
    view,
    breadcrumbs(['Workflows', null]),
    h('h1', {}, 'Workflows'),
    messages,
    h(
      'table',
      { class: 'list', id: 'workflows' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Last run status'), h('th', {}, 'Last run started'), h('th', {}, 'Last run completed'), h('th', {}, 'Last run ID'))),
      body,
    ),
  );
  let last = '';
  poll(
    async () => {
      const names = await glue.all<string>('ListWorkflows', { MaxResults: 25 }, 'Workflows');
      const workflows: Workflow[] = [];
      for (let i = 0; i < names.length; i += 25) {
        const out = await glue.call<{ Workflows?: Workflow[] }>('BatchGetWorkflows', { Names: names.slice(i, i + 25), IncludeGraph: false });
        workflows.push(...(out.Workflows ?? []));
      }
      workflows.sort((a, b) => a.Name.localeCompare(b.Name));
      const key = JSON.stringify(workflows);
      if (key !== last) {
        last = key;
        replace(messages);
        if (workflows.length === 0) {
          replace(body, h('tr', {}, h('td', { colspan: 5, class: 'empty' }, `No workflows in ${glue.region}. Create one with the aws CLI, an SDK or boto3.`)));
        } else {
          replace(
            body,
            workflows.map((w) =>
              h(
                'tr',
                { 'data-workflow': w.Name },
                h('td', {}, h('a', { href: historyHref(w.Name) }, w.Name)),
                h('td', {}, w.LastRun ? statusBadge(w.LastRun.Status) : h('span', { class: 'muted' }, 'never run')),
                h('td', {}, formatTime(w.LastRun?.StartedOn)),
                h('td', {}, formatTime(w.LastRun?.CompletedOn)),
                h('td', {}, w.LastRun ? h('a', { href: runHref(w.Name, w.LastRun.WorkflowRunId), title: w.LastRun.WorkflowRunId, class: 'mono' }, shortId(w.LastRun.WorkflowRunId)) : '—'),
              ),
            ),
          );
        }
      }
      return workflows.some((w) => inProgress(w.LastRun?.Status));
    },
    (e) => replace(messages, banner('error', `Could not list workflows. ${describeError(e)}`)),
  );
}
