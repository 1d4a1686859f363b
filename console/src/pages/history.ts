// A workflow's run history, and starting a run.

import { h, replace } from '../dom';
import { describeError } from '../glue';
import { view } from '../layout';
import { runHref, workflowsHref } from '../links';
import { formatStatistics, formatTime, inProgress, shortId, type WorkflowRun } from '../model';
import { poll } from '../poll';
import { currentGeneration, glue, isCurrent, setFlash } from '../session';
import { banner, breadcrumbs, flashBanner, statusBadge } from '../widgets';

export function historyPage(name: string): void {
  document.title = `${name} — glue-local`;
  const gen = currentGeneration();
  const messages = h('div', { class: 'messages' }, flashBanner());
  const body = h('tbody', {}, h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'Loading…')));
  const start = h(
    'button',
    {
      type: 'button',
      id: 'start-run',
      onclick: async () => {
        start.setAttribute('disabled', '');
        try {
          const out = await glue.call<{ RunId: string }>('StartWorkflowRun', { Name: name });
          setFlash('info', `Started run ${out.RunId}.`);
          location.hash = runHref(name, out.RunId);
        } catch (e) {
          if (isCurrent(gen)) replace(messages, banner('error', `Could not start a run. ${describeError(e)}`));
        } finally {
          start.removeAttribute('disabled');
        }
      },
    },
    'Run workflow',
  );
  replace(
    view,
    breadcrumbs(['Workflows', workflowsHref()], [name, null]),
    h('div', { class: 'title-row' }, h('h1', {}, name), start),
    h('h2', {}, 'History'),
    messages,
    h(
      'table',
      { class: 'list', id: 'history' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Run ID'), h('th', {}, 'Previous run ID'), h('th', {}, 'Status'), h('th', {}, 'Started'), h('th', {}, 'Completed'), h('th', {}, 'Statistics'))),
      body,
    ),
  );
  let last = '';
  poll(
    async () => {
      const runs = await glue.all<WorkflowRun>('GetWorkflowRuns', { Name: name, IncludeGraph: false, MaxResults: 100 }, 'Runs');
      const key = JSON.stringify(runs);
      if (key !== last) {
        last = key;
        if (messages.querySelector('.error')) replace(messages);
        if (runs.length === 0) {
          replace(body, h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No runs yet.')));
        } else {
          replace(
            body,
            runs.map((r) =>
              h(
                'tr',
                { 'data-run-id': r.WorkflowRunId },
                h('td', {}, h('a', { href: runHref(name, r.WorkflowRunId), title: r.WorkflowRunId, class: 'mono' }, shortId(r.WorkflowRunId))),
                h('td', {}, r.PreviousRunId ? h('a', { href: runHref(name, r.PreviousRunId), title: r.PreviousRunId, class: 'mono previous-run' }, shortId(r.PreviousRunId)) : '—'),
                h('td', {}, statusBadge(r.Status)),
                h('td', {}, formatTime(r.StartedOn)),
                h('td', {}, formatTime(r.CompletedOn)),
                h('td', {}, formatStatistics(r.Statistics)),
              ),
            ),
          );
        }
      }
      return runs.some((r) => inProgress(r.Status));
    },
    (e) => replace(messages, banner('error', `Could not read the run history. ${describeError(e)}`)),
  );
}
