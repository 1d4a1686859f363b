// glue-local console: workflows, a workflow's run history, and a run's graph with Resume.
// Every read and the resume go through the Glue JSON 1.1 API, signed (src/glue.ts).

import './style.css';
import { h, replace } from './dom';
import { drawRunGraph } from './graph';
import {
  ANONYMOUS,
  type Credentials,
  describeError,
  Glue,
  GlueError,
  loadCredentials,
  loadRegion,
  saveCredentials,
  saveRegion,
} from './glue';
import {
  crawls,
  formatDuration,
  formatStatistics,
  formatTime,
  inProgress,
  jobRuns,
  nodeViews,
  type GraphNode,
  type NodeView,
  shortId,
  STATE_LABELS,
  type Workflow,
  type WorkflowRun,
} from './model';
import { usingFallbackCrypto } from './subtle';

const POLL_BUSY_MS = 1000;
const POLL_IDLE_MS = 5000;

let glue = new Glue(loadCredentials() ?? ANONYMOUS, loadRegion());
let generation = 0;
let timer: number | undefined;
let flash: { kind: 'info' | 'error'; text: string } | null = null;

const app = document.getElementById('app')!;
const header = h('header', { class: 'top' });
const view = h('main', { id: 'view' });
app.append(header, view);

// ------------------------------------------------------------------ routing

const enc = encodeURIComponent;
const workflowsHref = () => '#/workflows';
const historyHref = (wf: string) => `#/workflows/${enc(wf)}`;
const runHref = (wf: string, run: string) => `#/workflows/${enc(wf)}/runs/${enc(run)}`;

function route(): void {
  clearTimeout(timer);
  generation++;
  renderHeader();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'workflows' && parts[1] && parts[2] === 'runs' && parts[3]) runPage(parts[1], parts[3]);
  else if (parts[0] === 'workflows' && parts[1]) historyPage(parts[1]);
  else workflowsPage();
}

/** Loads a page now and again while the page is shown: every second while something runs. */
function poll(load: () => Promise<boolean>, onError: (e: unknown) => void): void {
  const gen = generation;
  const tick = async () => {
    if (gen !== generation) return;
    let busy = false;
    try {
      busy = await load();
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof GlueError && e.code === 'UnrecognizedClientException' && glue.anonymous) {
        signInPage('This glue-local has an IAM config: sign in with the access key of one of its principals.');
        return;
      }
      onError(e);
    }
    if (gen !== generation) return;
    timer = window.setTimeout(tick, busy ? POLL_BUSY_MS : POLL_IDLE_MS);
  };
  void tick();
}

const isCurrent = (gen: number) => gen === generation;

// ------------------------------------------------------------------ header and messages

function renderHeader(): void {
  const region = h('input', {
    id: 'region',
    value: glue.region,
    size: 12,
    'aria-label': 'Region',
    title: 'Region of the credential scope: glue-local keeps state per account and region',
    onchange: (ev: Event) => {
      const value = (ev.target as HTMLInputElement).value.trim() || 'us-east-1';
      saveRegion(value);
      glue = new Glue(glue.credentials, value);
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
            glue = new Glue(ANONYMOUS, glue.region);
            route();
          },
        },
        'Sign out',
      );
  replace(
    header,
    h('a', { class: 'brand', href: workflowsHref() }, h('span', { class: 'logo' }, '◆'), ' glue-local console'),
    h('div', { class: 'session' }, h('label', {}, 'Region ', region), who, button, usingFallbackCrypto ? h('span', { class: 'who', title: 'crypto.subtle is unavailable on this insecure origin' }, '(JS SHA-256)') : null),
  );
}

function banner(kind: 'info' | 'error', text: string): HTMLElement {
  return h('div', { class: `banner ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

function takeFlash(): HTMLElement | null {
  const f = flash;
  flash = null;
  return f ? banner(f.kind, f.text) : null;
}

function statusBadge(status: string | undefined): HTMLElement {
  const s = (status ?? 'NONE').toLowerCase();
  return h('span', { class: `status status-${s}`, 'data-status': status ?? '' }, status ?? '—');
}

function breadcrumbs(...items: [string, string | null][]): HTMLElement {
  const nav = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumbs' });
  items.forEach(([label, href], i) => {
    if (i > 0) nav.append(h('span', { class: 'sep' }, '›'));
    nav.append(href ? h('a', { href }, label) : h('span', {}, label));
  });
  return nav;
}

// ------------------------------------------------------------------ sign in

function signInPage(reason: string | null): void {
  clearTimeout(timer);
  generation++;
  const gen = generation;
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
    glue = candidate;
    route();
  });
  renderHeader();
  replace(view, form);
  (form.querySelector('#access-key-id') as HTMLInputElement).focus();
}

// ------------------------------------------------------------------ workflows

function workflowsPage(): void {
  document.title = 'Workflows — glue-local';
  const messages = h('div', { class: 'messages' }, takeFlash());
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

// ------------------------------------------------------------------ history

function historyPage(name: string): void {
  document.title = `${name} — glue-local`;
  const gen = generation;
  const messages = h('div', { class: 'messages' }, takeFlash());
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
          flash = { kind: 'info', text: `Started run ${out.RunId}.` };
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

// ------------------------------------------------------------------ run details

/** Nodes marked for resume, per run (kept while the page polls and re-renders). */
const resumeMarks = new Map<string, Set<string>>();
const selectedNode = new Map<string, string>();

function runPage(name: string, runId: string): void {
  document.title = `Run ${shortId(runId)} of ${name} — glue-local`;
  const gen = generation;
  const marks = resumeMarks.get(runId) ?? new Set<string>();
  resumeMarks.set(runId, marks);
  let run: WorkflowRun | null = null;
  let views = new Map<string, NodeView>();
  let resuming = false;

  const messages = h('div', { class: 'messages', id: 'messages' }, takeFlash());
  const summary = h('dl', { class: 'summary', id: 'run-summary' });
  const graphPane = h('div', { class: 'graph-pane', id: 'graph' }, h('p', { class: 'empty' }, 'Loading…'));
  const details = h('aside', { class: 'details', id: 'node-details' });
  const resumeButton = h('button', { type: 'button', class: 'primary', id: 'resume-run', disabled: true }, 'Resume run');
  const resumeInfo = h('span', { class: 'hint', id: 'resume-info' });

  resumeButton.addEventListener('click', async () => {
    if (!run || marks.size === 0 || resuming) return;
    resuming = true;
    renderToolbar();
    const order = (run.Graph?.Nodes ?? []).map((n) => n.UniqueId).filter((id) => marks.has(id));
    try {
      const out = await glue.call<{ RunId: string; NodeIds?: string[] }>('ResumeWorkflowRun', { Name: name, RunId: runId, NodeIds: order });
      const names = (out.NodeIds ?? []).map((id) => views.get(id)?.node.Name ?? id);
      marks.clear();
      flash = { kind: 'info', text: `Resumed run ${runId} as ${out.RunId}, restarting ${names.join(', ') || 'nothing'}.` };
      location.hash = runHref(name, out.RunId);
    } catch (e) {
      if (isCurrent(gen)) replace(messages, banner('error', `Could not resume the run. ${describeError(e)}`));
    } finally {
      resuming = false;
      if (isCurrent(gen)) renderToolbar();
    }
  });

  replace(
    view,
    breadcrumbs(['Workflows', workflowsHref()], [name, historyHref(name)], [`Run ${shortId(runId)}`, null]),
    h('h1', {}, 'Run details'),
    summary,
    h('div', { class: 'toolbar' }, resumeButton, resumeInfo),
    messages,
    h('div', { class: 'run-layout' }, h('section', { class: 'graph-column' }, graphPane, legend()), details),
  );

  function renderToolbar(): void {
    const count = marks.size;
    if (count > 0 && !resuming) resumeButton.removeAttribute('disabled');
    else resumeButton.setAttribute('disabled', '');
    resumeButton.textContent = resuming ? 'Resuming…' : 'Resume run';
    const names = [...marks].map((id) => views.get(id)?.node.Name ?? id);
    resumeInfo.textContent =
      count === 0 ? 'Select a job or crawler node that ran, then tick Resume in its details.' : `Resume from ${names.join(', ')} (and everything downstream).`;
  }

  function select(id: string): void {
    selectedNode.set(runId, id);
    render();
  }

  function render(): void {
    if (!run) return;
    renderSummary(summary, name, run);
    const selected = selectedNode.get(runId) ?? null;
    const svg = drawRunGraph(run.Graph ?? {}, views, { selected, resume: marks, onSelect: select });
    const scroll = graphPane.scrollLeft;
    replace(graphPane, (run.Graph?.Nodes ?? []).length ? svg : h('p', { class: 'empty' }, 'This run has no graph.'));
    graphPane.scrollLeft = scroll;
    renderDetails();
    renderToolbar();
  }

  function renderDetails(): void {
    const id = selectedNode.get(runId);
    const v = id ? views.get(id) : undefined;
    if (!v) {
      replace(details, h('h2', {}, 'Details'), h('p', { class: 'hint' }, 'Select a node of the graph to see its job runs or crawls.'));
      return;
    }
    replace(details, ...nodeDetails(v, marks, (checked) => {
      if (checked) marks.add(v.node.UniqueId);
      else marks.delete(v.node.UniqueId);
      render();
    }));
  }

  let last = '';
  poll(
    async () => {
      const out = await glue.call<{ Run: WorkflowRun }>('GetWorkflowRun', { Name: name, RunId: runId, IncludeGraph: true });
      if (!isCurrent(gen)) return false;
      const key = JSON.stringify(out.Run);
      if (key !== last) {
        last = key;
        run = out.Run;
        views = nodeViews(run);
        for (const id of [...marks]) if (!views.get(id)?.resumable) marks.delete(id);
        if (messages.querySelector('.error.load')) replace(messages);
        render();
      } else if (inProgress(run?.Status)) {
        renderSummary(summary, name, run!); // running durations move on
      }
      return inProgress(out.Run.Status);
    },
    (e) => {
      const b = banner('error', `Could not read the run. ${describeError(e)}`);
      b.classList.add('load');
      replace(messages, b);
    },
  );
}

function renderSummary(target: HTMLElement, name: string, run: WorkflowRun): void {
  const item = (label: string, value: Node | string, id?: string) => [h('dt', {}, label), h('dd', { id }, value)];
  replace(
    target,
    item('Run ID', h('span', { class: 'mono', id: 'run-id' }, run.WorkflowRunId)),
    item('Previous run ID', run.PreviousRunId ? h('a', { href: runHref(name, run.PreviousRunId), class: 'mono', id: 'previous-run-id' }, run.PreviousRunId) : '—'),
    item('Status', statusBadge(run.Status), 'run-status'),
    item('Started', formatTime(run.StartedOn)),
    item('Completed', formatTime(run.CompletedOn)),
    item('Duration', formatDuration(run.StartedOn, run.CompletedOn)),
    item('Statistics', formatStatistics(run.Statistics), 'run-statistics'),
    run.ErrorMessage ? item('Error', run.ErrorMessage) : [],
  );
}

function legend(): HTMLElement {
  const states = Object.entries(STATE_LABELS).map(([state, label]) => h('span', { class: `legend-item state-${state}` }, h('span', { class: 'swatch' }), label));
  return h(
    'div',
    { class: 'legend', 'aria-label': 'Legend' },
    ...states,
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch copied-swatch' }), 'Copied from previous run'),
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch resume-swatch' }, '↻'), 'Marked for resume'),
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch trigger-swatch' }), 'Trigger'),
  );
}

function nodeDetails(v: NodeView, marks: Set<string>, onResume: (checked: boolean) => void): (Node | string)[] {
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
  } else {
    const cs = crawls(n);
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

// ------------------------------------------------------------------ start

window.addEventListener('hashchange', route);
if (!location.hash) history.replaceState(null, '', workflowsHref());
route();
