// The details of a run graph node: its job runs or crawls, the end of its newest job run's logs,
// a trigger's conditions, the Resume box.

/** The logs of one job run as last read: both streams, or why they could not be read. */
export interface JobRunLogs {
  runId: string;
  output?: JobRunLog;
  error?: JobRunLog;
  failure?: unknown;
}

import { h } from '../dom';
import { describeError, type JobRunLog, LOG_TAIL_BYTES } from '../glue';
import { crawlerTablesHref } from '../links';
import { crawls, formatDuration, formatTime, type GraphNode, jobRuns, type NodeView, STATE_LABELS } from '../model';

export function nodeDetails(
  v: NodeView,
  marks: Set<string>,
  onResume: (checked: boolean) => void,
  logs?: JobRunLogs,
): (Node | string)[] {
  const n = v.node;
  const kind = n.Type === 'TRIGGER' ? 'Trigger' : n.Type === 'CRAWLER' ? 'Crawler' : 'Job';
  const out: (Node | string)[] = [
    h('h2', { id: 'details-title' }, n.Name),
    h(
      'p',
      { class: 'node-meta' },
      h('span', { class: 'kind' }, kind),
      h('span', { class: `state-pill state-${v.state}`, id: 'details-state' }, STATE_LABELS[v.state]),
      v.copied ? h('span', { class: 'copied-pill', title: 'ResumeWorkflowRun copied this node, with its run details, from the previous run' }, 'copied from previous run') : null,
    ),
  ];
  if (n.Type === 'TRIGGER') {
    out.push(h('p', { class: 'hint' }, 'A run cannot be resumed from a trigger: select the jobs or crawlers to restart.'));
    out.push(...triggerInfo(n));
    return out;
  }
  if (v.resumable) {
    const box = h('input', { type: 'checkbox', id: 'resume-checkbox', checked: marks.has(n.UniqueId) }) as HTMLInputElement;
    box.addEventListener('change', () => onResume(box.checked));
    out.push(
      h('div', { class: 'resume-box' }, h('label', {}, box, ' Resume'), h('p', { class: 'hint' }, 'Restart this node and everything downstream of it when you choose Resume run.')),
    );
  } else {
    out.push(h('p', { class: 'hint', id: 'not-resumable' }, 'This run did not attempt this node, so it cannot be resumed from here: choose a node upstream of it.'));
  }
  if (n.Type === 'JOB') {
    const runs = jobRuns(n);
    out.push(h('h3', {}, `Job runs (${runs.length})`));
    if (!runs.length) out.push(h('p', { class: 'muted' }, 'No job runs in this run.'));
    for (const r of runs) {
      out.push(
        h(
          'dl',
          { class: 'run-card', 'data-job-run-id': r.Id },
          row('Job run ID', h('span', { class: 'mono' }, r.Id)),
          row('Attempt', String(r.Attempt ?? 0)),
          row('State', h('span', { class: `state-pill state-${stateOfJobRun(r.JobRunState)}` }, r.JobRunState ?? '—')),
          r.TriggerName ? row('Started by', r.TriggerName) : [],
          row('Started', formatTime(r.StartedOn)),
          row('Completed', formatTime(r.CompletedOn)),
          row('Duration', formatDuration(r.StartedOn, r.CompletedOn)),
          r.PreviousRunId ? row('Previous run ID', h('span', { class: 'mono' }, r.PreviousRunId)) : [],
          r.ErrorMessage ? row('Error message', h('span', { class: 'error-text' }, r.ErrorMessage)) : [],
          row('Arguments', args(r.Arguments)),
        ),
      );
    }
    if (runs.length && logs?.runId === runs[0].Id) out.push(...logPanes(logs));
  } else {
    const cs = crawls(n);
    out.push(h('p', {}, h('a', { href: crawlerTablesHref(n.Name), id: 'crawler-tables' }, 'Tables in the Data Catalog →')));
    out.push(h('h3', {}, `Crawls (${cs.length})`));
    if (!cs.length) out.push(h('p', { class: 'muted' }, 'No crawls in this run.'));
    for (const c of cs) {
      out.push(
        h(
          'dl',
          { class: 'run-card' },
          row('State', c.State ?? '—'),
          row('Started', formatTime(c.StartedOn)),
          row('Completed', formatTime(c.CompletedOn)),
          c.ErrorMessage ? row('Error message', h('span', { class: 'error-text' }, c.ErrorMessage)) : [],
          c.LogGroup ? row('Log', h('span', { class: 'mono' }, `${c.LogGroup}/${c.LogStream ?? ''}`)) : [],
        ),
      );
    }
  }
  return out;
}

/** The newest job run's output and error logs, their last 64 KiB each. */
function logPanes(logs: JobRunLogs): Node[] {
  const out: Node[] = [h('h3', {}, 'Logs of job run ', h('span', { class: 'mono' }, logs.runId))];
  if (logs.failure) {
    out.push(h('p', { class: 'error-text', id: 'log-failure' }, `Could not read the logs. ${describeError(logs.failure)}`));
    return out;
  }
  for (const [stream, label, log] of [
    ['output', 'Output', logs.output],
    ['error', 'Errors', logs.error],
  ] as const) {
    const cut = log && log.size > LOG_TAIL_BYTES ? ` (last ${LOG_TAIL_BYTES / 1024} KiB of ${formatBytes(log.size)})` : '';
    out.push(h('h4', {}, label, h('span', { class: 'muted' }, cut)));
    out.push(
      log?.text
        ? h('pre', { class: 'log', id: `log-${stream}`, 'data-stream': stream }, log.text)
        : h('p', { class: 'muted', id: `log-${stream}`, 'data-stream': stream }, 'Empty.'),
    );
  }
  return out;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

function stateOfJobRun(s: string | undefined): string {
  return { SUCCEEDED: 'succeeded', FAILED: 'failed', ERROR: 'failed', TIMEOUT: 'timeout', STOPPED: 'stopped' }[s ?? ''] ?? 'running';
}

function row(label: string, value: Node | string): Node[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function args(a: Record<string, string> | undefined): Node | string {
  const entries = Object.entries(a ?? {});
  if (!entries.length) return '—';
  return h('ul', { class: 'args' }, entries.map(([k, v]) => h('li', {}, h('code', {}, k), ' ', h('span', { class: 'mono' }, v))));
}

function triggerInfo(n: GraphNode): Node[] {
  const t = n.TriggerDetails?.Trigger;
  if (!t) return [];
  const conditions = (t.Predicate?.Conditions ?? []).map((c) =>
    h('li', {}, c.JobName ? `job ${c.JobName}` : `crawler ${c.CrawlerName}`, ` ${c.LogicalOperator ?? 'EQUALS'} ${c.State ?? c.CrawlState ?? ''}`),
  );
  const actions = (t.Actions ?? []).map((a) => h('li', {}, a.JobName ? `start job ${a.JobName}` : `start crawler ${a.CrawlerName}`));
  return [
    h(
      'dl',
      { class: 'run-card' },
      row('Type', t.Type ?? '—'),
      row('State', t.State ?? '—'),
      t.Schedule ? row('Schedule', t.Schedule) : [],
      conditions.length ? row(`Conditions${t.Predicate?.Logical ? ` (${t.Predicate.Logical})` : ''}`, h('ul', { class: 'args' }, conditions)) : [],
      row('Actions', actions.length ? h('ul', { class: 'args' }, actions) : '—'),
    ),
  ];
}
