// A run: its summary, its graph, a node's details, and Resume.

import { h, replace } from '../dom';
import { drawRunGraph } from '../graph';
import { describeError } from '../glue';
import { view } from '../layout';
import { historyHref, runHref, workflowsHref } from '../links';
import { eventIds, formatDuration, formatStatistics, formatTime, inProgress, jobRuns, nodeViews, type NodeView, shortId, startedBy, STATE_LABELS, type WorkflowRun } from '../model';
import { poll } from '../poll';
import { currentGeneration, glue, isCurrent, setFlash } from '../session';
import { banner, breadcrumbs, flashBanner, statusBadge } from '../widgets';
import { type JobRunLogs, nodeDetails } from './node-details';

/** Job run states after which a log no longer grows. */
const FINAL_JOB_RUN_STATES = new Set(['SUCCEEDED', 'FAILED', 'ERROR', 'TIMEOUT', 'STOPPED', 'EXPIRED']);

/** Nodes marked for resume, per run (kept while the page polls and re-renders). */
const resumeMarks = new Map<string, Set<string>>();
const selectedNode = new Map<string, string>();

export function runPage(name: string, runId: string): void {
  document.title = `Run ${shortId(runId)} of ${name} — glue-local`;
  const gen = currentGeneration();
  const marks = resumeMarks.get(runId) ?? new Set<string>();
  resumeMarks.set(runId, marks);
  let run: WorkflowRun | null = null;
  let views = new Map<string, NodeView>();
  let resuming = false;
  /** The selected node's newest job run's logs, and whether that run had finished when they were read. */
  let logs: (JobRunLogs & { final: boolean }) | undefined;

  const messages = h('div', { class: 'messages', id: 'messages' }, flashBanner());
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
      setFlash('info', `Resumed run ${runId} as ${out.RunId}, restarting ${names.join(', ') || 'nothing'}.`);
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
    void refreshLogs();
  }

  /** Reads the newest job run's logs of the selected node, again while that run goes on. */
  async function refreshLogs(): Promise<void> {
    const id = selectedNode.get(runId);
    const node = id ? views.get(id)?.node : undefined;
    const newest = node?.Type === 'JOB' ? jobRuns(node)[0] : undefined;
    if (!newest?.Id) return;
    if (logs?.runId === newest.Id && logs.final) return;
    const final = FINAL_JOB_RUN_STATES.has(newest.JobRunState ?? '');
    let read: JobRunLogs & { final: boolean };
    try {
      const [output, error] = await Promise.all([glue.jobRunLog(newest.Id, 'output'), glue.jobRunLog(newest.Id, 'error')]);
      read = { runId: newest.Id, output, error, final };
    } catch (failure) {
      read = { runId: newest.Id, failure, final: false };
    }
    if (!isCurrent(gen) || selectedNode.get(runId) !== id) return;
    const same = logs && JSON.stringify(logs) === JSON.stringify(read);
    logs = read;
    if (!same) renderDetails();
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
    const onResume = (checked: boolean) => {
      if (checked) marks.add(v.node.UniqueId);
      else marks.delete(v.node.UniqueId);
      render();
    };
    const logScroll = [...details.querySelectorAll('pre.log')].map((p) => [p.id, p.scrollTop, p.scrollHeight - p.clientHeight - p.scrollTop] as const);
    replace(details, ...nodeDetails(v, marks, onResume, logs));
    for (const pre of details.querySelectorAll('pre.log')) {
      const before = logScroll.find(([id]) => id === pre.id);
      // a tail stays at its end as it grows, unless the reader scrolled up in it
      pre.scrollTop = before && before[2] > 4 ? before[1] : pre.scrollHeight;
    }
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
      await refreshLogs();
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
    item('Started by', startedBy(run), 'run-started-by'),
    eventIds(run).length ? item('Event IDs', h('span', { class: 'mono' }, eventIds(run).join(', ')), 'run-event-ids') : [],
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
