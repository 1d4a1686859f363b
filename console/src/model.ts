// What the console reads from the Glue API, and how a run graph node's state is derived from it.

export interface JobRun {
  Id: string;
  Attempt?: number;
  PreviousRunId?: string;
  TriggerName?: string;
  JobName?: string;
  StartedOn?: number;
  LastModifiedOn?: number;
  CompletedOn?: number;
  JobRunState?: string;
  Arguments?: Record<string, string>;
  ErrorMessage?: string;
  ExecutionTime?: number;
  Timeout?: number;
}

export interface Crawl {
  State?: string;
  StartedOn?: number;
  CompletedOn?: number;
  ErrorMessage?: string;
  LogGroup?: string;
  LogStream?: string;
}

export interface Trigger {
  Name: string;
  Type?: string;
  State?: string;
  Actions?: { JobName?: string; CrawlerName?: string; Arguments?: Record<string, string> }[];
  Predicate?: {
    Logical?: string;
    Conditions?: { LogicalOperator?: string; JobName?: string; State?: string; CrawlerName?: string; CrawlState?: string }[];
  };
  Schedule?: string;
}

export interface GraphNode {
  Type: 'TRIGGER' | 'JOB' | 'CRAWLER' | string;
  Name: string;
  UniqueId: string;
  TriggerDetails?: { Trigger: Trigger };
  JobDetails?: { JobRuns?: JobRun[] };
  CrawlerDetails?: { Crawls?: Crawl[] };
}

export interface Graph {
  Nodes?: GraphNode[];
  Edges?: { SourceId: string; DestinationId: string }[];
}

export interface Statistics {
  TotalActions?: number;
  TimeoutActions?: number;
  FailedActions?: number;
  StoppedActions?: number;
  SucceededActions?: number;
  RunningActions?: number;
  ErroredActions?: number;
  WaitingActions?: number;
}

export interface WorkflowRun {
  Name: string;
  WorkflowRunId: string;
  PreviousRunId?: string;
  StartedOn?: number;
  CompletedOn?: number;
  Status?: string;
  ErrorMessage?: string;
  Statistics?: Statistics;
  Graph?: Graph;
  WorkflowRunProperties?: Record<string, string>;
  StartingEventBatchCondition?: { BatchSize?: number; BatchWindow?: number };
}

export interface Workflow {
  Name: string;
  Description?: string;
  LastRun?: WorkflowRun;
}

/** The colours of the run graph. */
export type NodeState = 'succeeded' | 'failed' | 'timeout' | 'stopped' | 'running' | 'not-run';

export const STATE_LABELS: Record<NodeState, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  timeout: 'Timeout',
  stopped: 'Stopped',
  running: 'Running',
  'not-run': 'Not run',
};

export function jobRunState(state: string | undefined): NodeState {
  switch (state) {
    case 'SUCCEEDED':
      return 'succeeded';
    case 'FAILED':
    case 'ERROR':
    case 'EXPIRED':
      return 'failed';
    case 'TIMEOUT':
      return 'timeout';
    case 'STOPPED':
      return 'stopped';
    case undefined:
      return 'not-run';
    default: // STARTING, RUNNING, STOPPING, WAITING
      return 'running';
  }
}

export function crawlState(state: string | undefined): NodeState {
  switch (state) {
    case 'COMPLETED':
      return 'succeeded';
    case 'FAILED':
    case 'ERROR':
      return 'failed';
    case 'CANCELLED':
      return 'stopped';
    case undefined:
      return 'not-run';
    default: // RUNNING, CANCELLING
      return 'running';
  }
}

export function jobRuns(node: GraphNode): JobRun[] {
  return node.JobDetails?.JobRuns ?? [];
}

/** Newest first, like JobRuns. */
export function crawls(node: GraphNode): Crawl[] {
  return [...(node.CrawlerDetails?.Crawls ?? [])].sort((a, b) => (b.StartedOn ?? 0) - (a.StartedOn ?? 0));
}

/** Whether the run attempted this job or crawler node (only those can be resumed from). */
export function attempted(node: GraphNode): boolean {
  return jobRuns(node).length > 0 || crawls(node).length > 0;
}

export interface NodeView {
  node: GraphNode;
  state: NodeState;
  /** Copied from the previous run by ResumeWorkflowRun (its runs started before this run did). */
  copied: boolean;
  resumable: boolean;
}

/**
 * The state of every node of a run graph. Jobs and crawlers: the newest run's state (JobRuns are
 * newest first), not run without details. Triggers: succeeded when an action of theirs ran in this
 * run (a trigger that fired started something), else not run. A node is copied when the run is a
 * resumed one and every run detail of the node started before the run itself did.
 */
export function nodeViews(run: WorkflowRun): Map<string, NodeView> {
  const nodes = run.Graph?.Nodes ?? [];
  const runStarted = run.StartedOn ?? 0;
  const views = new Map<string, NodeView>();
  for (const node of nodes) {
    let state: NodeState = 'not-run';
    let copied = false;
    if (node.Type === 'JOB') {
      const runs = jobRuns(node);
      state = jobRunState(runs[0]?.JobRunState);
      copied = !!run.PreviousRunId && runs.length > 0 && runs.every((r) => (r.StartedOn ?? 0) < runStarted);
    } else if (node.Type === 'CRAWLER') {
      const cs = crawls(node);
      state = crawlState(cs[0]?.State);
      copied = !!run.PreviousRunId && cs.length > 0 && cs.every((c) => (c.StartedOn ?? 0) < runStarted);
    }
    views.set(node.UniqueId, { node, state, copied, resumable: node.Type !== 'TRIGGER' && attempted(node) });
  }
  // Triggers: fired when something they start ran; copied when all of those were copied.
  for (const view of views.values()) {
    if (view.node.Type !== 'TRIGGER') continue;
    const targets = (run.Graph?.Edges ?? [])
      .filter((e) => e.SourceId === view.node.UniqueId)
      .map((e) => views.get(e.DestinationId))
      .filter((v): v is NodeView => !!v && v.node.Type !== 'TRIGGER' && v.state !== 'not-run');
    if (targets.length > 0) {
      view.state = 'succeeded';
      view.copied = targets.every((t) => t.copied);
    }
  }
  return views;
}

export function inProgress(status: string | undefined): boolean {
  return status === 'RUNNING' || status === 'STOPPING';
}

export function formatTime(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined || epochSeconds === null) return '—';
  const d = new Date(epochSeconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
  );
}

export function formatDuration(start: number | undefined, end: number | undefined): string {
  if (start === undefined) return '—';
  const seconds = (end ?? Date.now() / 1000) - start;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function formatStatistics(s: Statistics | undefined): string {
  if (!s) return '—';
  const parts: string[] = [];
  const add = (n: number | undefined, label: string) => {
    if (n) parts.push(`${n} ${label}`);
  };
  add(s.SucceededActions, 'succeeded');
  add(s.FailedActions, 'failed');
  add(s.ErroredActions, 'errored');
  add(s.TimeoutActions, 'timed out');
  add(s.StoppedActions, 'stopped');
  add(s.RunningActions, 'running');
  add(s.WaitingActions, 'waiting');
  const total = s.TotalActions ?? 0;
  return `${total} action${total === 1 ? '' : 's'}${parts.length ? ': ' + parts.join(', ') : ''}`;
}

export function shortId(id: string | undefined): string {
  if (!id) return '—';
  return id.length > 16 ? `${id.slice(0, 14)}…` : id;
}

/** The ids in a run's `aws:eventIds` property (`[id1, id2]`), if an event batch started it. */
export function eventIds(run: WorkflowRun): string[] {
  const raw = run.WorkflowRunProperties?.['aws:eventIds'];
  if (!raw) return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/** How a run was started: resumed, by an event batch (which condition), or by its start trigger. */
export function startedBy(run: WorkflowRun): string {
  if (run.PreviousRunId) return 'ResumeWorkflowRun';
  const start = (run.Graph?.Nodes ?? [])
    .map((n) => n.TriggerDetails?.Trigger)
    .find((t) => t !== undefined && t.Type !== 'CONDITIONAL');
  const trigger = start ? ` ${start.Name}` : '';
  const batch = run.StartingEventBatchCondition;
  if (batch) {
    const n = eventIds(run).length;
    const events = `${n} event${n === 1 ? '' : 's'}`;
    const condition = batch.BatchSize ? `batch size ${batch.BatchSize} reached` : `batch window of ${batch.BatchWindow} s ended`;
    return `EVENT trigger${trigger}: ${condition} (${events})`;
  }
  if (start?.Type === 'SCHEDULED') return `SCHEDULED trigger${trigger} or StartWorkflowRun`;
  return start ? `StartWorkflowRun (${start.Type ?? 'ON_DEMAND'} trigger${trigger})` : 'StartWorkflowRun';
}
