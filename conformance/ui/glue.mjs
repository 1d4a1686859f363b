// A tiny signed Glue JSON 1.1 client for the UI test (Node 20: global fetch and WebCrypto).
import { AwsClient } from 'aws4fetch';

export class GlueError extends Error {
  constructor(code, message, status) {
    super(`${code}: ${message}`);
    this.code = code;
    this.status = status;
  }
}

export function glueClient(endpoint, { accessKeyId = 'test', secretAccessKey = 'test', region = 'us-east-1' } = {}) {
  const regionName = region;
  const aws = new AwsClient({ accessKeyId, secretAccessKey, region, service: 'glue', retries: 0 });
  const base = endpoint.replace(/\/+$/, '');
  async function call(op, input = {}) {
    const res = await aws.fetch(`${base}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSGlue.${op}` },
      body: JSON.stringify(input),
    });
    const text = await res.text();
    const doc = text ? JSON.parse(text) : {};
    if (!res.ok) {
      const code = String(doc.__type || res.headers.get('x-amzn-errortype') || res.status).split('#').pop();
      throw new GlueError(code, doc.Message || doc.message || text, res.status);
    }
    return doc;
  }
  // Signed control request (needed when the server has an IAM config).
  async function control(path, body) {
    const res = await aws.fetch(`${base}/_glue_local/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST /_glue_local/${path} → ${res.status} ${text}`);
    return JSON.parse(text);
  }
  return { call, control, region: regionName };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The guide's W1 (T1 → J1 → T2/T3 → J2/J3 → T4/T5 → J4/J5), with the next runs of J2 and J3 failing. */
export async function createFailingWorkflow(glue, name = 'W1', prefix = '') {
  await glue.call('DeleteWorkflow', { Name: name }); // a server reused from an earlier run: start afresh
  const J = (n) => `${prefix}J${n}`;
  const T = (n) => `${prefix}T${n}`;
  for (const n of [1, 2, 3, 4, 5]) {
    await glue.call('CreateJob', {
      Name: J(n),
      Role: 'arn:aws:iam::123456789012:role/GlueLocalUiTest',
      Command: { Name: 'glueetl', ScriptLocation: `s3://scripts/${J(n)}.py` },
      DefaultArguments: { '--source': `s3://data/${J(n)}/` },
    });
  }
  await glue.call('CreateWorkflow', { Name: name, Description: 'The guide\'s W1: J2 and J3 fail' });
  await glue.call('CreateTrigger', { Name: T(1), WorkflowName: name, Type: 'ON_DEMAND', Actions: [{ JobName: J(1) }] });
  const cond = (job) => ({ Conditions: [{ LogicalOperator: 'EQUALS', JobName: job, State: 'SUCCEEDED' }] });
  for (const [t, after, run] of [[2, 1, 2], [3, 1, 3], [4, 2, 4], [5, 3, 5]]) {
    await glue.call('CreateTrigger', {
      Name: T(t), WorkflowName: name, Type: 'CONDITIONAL', StartOnCreation: true,
      Predicate: cond(J(after)), Actions: [{ JobName: J(run) }],
    });
  }
  for (const j of [J(2), J(3)]) {
    await glue.control('outcomes', { jobName: j, state: 'FAILED', errorMessage: `boom: ${j} could not read its input`, count: 1, region: glue.region });
  }
  const { RunId } = await glue.call('StartWorkflowRun', { Name: name });
  const run = await waitForRun(glue, name, RunId);
  return run;
}

export async function waitForRun(glue, name, runId, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Run } = await glue.call('GetWorkflowRun', { Name: name, RunId: runId, IncludeGraph: true });
    if (!['RUNNING', 'STOPPING'].includes(Run.Status)) return Run;
    if (Date.now() > deadline) throw new Error(`run ${runId} of ${name} still ${Run.Status} after ${timeoutMs} ms`);
    await sleep(100);
  }
}
