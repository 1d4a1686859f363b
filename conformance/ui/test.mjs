// Browser end-to-end test of the glue-local console (/_glue_local/ui/): Playwright (playwright-core)
// driving Debian's chromium headless.
//
//   1. the guide's failing workflow (J2 and J3 fail), created through the Glue API: the console
//      shows J1 succeeded, J2/J3 failed, J4/J5 not run; ticking J2 and J3 and choosing Resume run
//      opens a new run that completes with the previous run id, J1 copied, J2..J5 succeeded.
//      A crawler node of a run links to its database's tables; the Data Catalog pages show the
//      tables, their columns, partition keys, location and partitions, and the nav reaches them.
//   2. with an IAM config (its own glue-local): the console asks for a key, a wrong secret and a
//      principal without glue:ResumeWorkflowRun are refused in words; signing also works with the
//      pure-JS SHA-256 the console uses where WebCrypto is unavailable (insecure origins).
//
// Environment:
//   GLUE_LOCAL_ENDPOINT  server for part 1 (else one is started from GLUE_LOCAL_BIN)
//   CONFORMANCE_SCRIPTS_DIR  a --scripts-dir of that server: the job script of part 1 goes under
//                        its ui/ folder (without it, a temporary folder that the started server gets)
//   GLUE_LOCAL_BIN       glue-local binary for the servers this test starts (default: target/debug)
//   CHROMIUM             browser binary (default /usr/bin/chromium)
//   UI_TEST_ARTIFACTS    where screenshots go (default conformance/artifacts)
//   UI_TEST_HEADED=1     watch it
// Prints "ui: N passed, N failed" last; exits 1 if anything failed.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createFailingWorkflow, glueClient } from './glue.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const ARTIFACTS = resolve(process.env.UI_TEST_ARTIFACTS || join(root, 'conformance/artifacts'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BIN = process.env.GLUE_LOCAL_BIN || join(process.env.CARGO_TARGET_DIR || join(root, 'target'), 'debug/glue-local');
const REGION = process.env.UI_TEST_REGION || 'ca-central-1'; // its own (account, region): no clash with other suites
const TIMEOUT = 15000;

mkdirSync(ARTIFACTS, { recursive: true });

// ------------------------------------------------------------------ bookkeeping

let passed = 0;
let failed = 0;
const cleanups = [];

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`  FAIL ${name}\n       ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n       ')}`);
    throw new StopScenario(name);
  }
}

class StopScenario extends Error {}

async function scenario(title, page, fn) {
  console.log(`\n${title}`);
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof StopScenario)) {
      failed++;
      console.log(`  FAIL ${title}: ${e && e.stack ? e.stack : e}`);
    }
    if (page) {
      const shot = join(ARTIFACTS, `ui-failure-${title.replace(/\W+/g, '-').toLowerCase()}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      console.log(`       page at failure: ${page.url()}\n       screenshot: ${shot}`);
    }
  }
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

// ------------------------------------------------------------------ servers

async function startServer(extraArgs = []) {
  if (!existsSync(BIN)) throw new Error(`no glue-local binary at ${BIN} (cargo build, or set GLUE_LOCAL_BIN)`);
  const child = spawn(BIN, ['--host', '127.0.0.1', '--port', '0', '--job-duration', '50ms', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const endpoint = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`glue-local did not start within 30 s: ${out}${log}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`glue-local exited (${code}) before listening: ${out}${log}`));
    });
  });
  cleanups.push(() => child.kill('SIGTERM'));
  return endpoint;
}

// ------------------------------------------------------------------ page helpers

const node = (page, name) => page.locator(`svg.run-graph [data-node-name="${name}"]`);

async function nodeState(page, name) {
  return node(page, name).getAttribute('data-state');
}

async function expectStates(page, expected) {
  for (const [name, state] of Object.entries(expected)) {
    await page.waitForFunction(
      ([n, s]) => document.querySelector(`svg.run-graph [data-node-name="${n}"]`)?.getAttribute('data-state') === s,
      [name, state],
      { timeout: TIMEOUT },
    ).catch(async () => {
      throw new Error(`node ${name}: expected ${state}, shows ${await nodeState(page, name)}`);
    });
  }
}

async function setRegion(page, region) {
  const field = page.locator('#region');
  await field.fill(region);
  await field.press('Enter');
}

async function openFailedRun(page, base, runId) {
  await page.goto(`${base}/_glue_local/ui/`);
  await setRegion(page, REGION);
  const row = page.locator('#workflows tr[data-workflow="W1"]');
  await row.waitFor({ timeout: TIMEOUT });
  await row.getByRole('link', { name: 'W1' }).click();
  await page.locator(`#history tr[data-run-id="${runId}"]`).getByRole('link').first().click();
  await page.locator('svg.run-graph').waitFor({ timeout: TIMEOUT });
}

// ------------------------------------------------------------------ main

const browserDir = mkdtempSync(join(tmpdir(), 'glue-local-ui-chromium-'));
cleanups.push(() => rmSync(browserDir, { recursive: true, force: true }));
const scriptsDir = process.env.CONFORMANCE_SCRIPTS_DIR
  ? join(process.env.CONFORMANCE_SCRIPTS_DIR, 'ui')
  : mkdtempSync(join(tmpdir(), 'glue-local-ui-scripts-'));
mkdirSync(scriptsDir, { recursive: true });
if (!process.env.CONFORMANCE_SCRIPTS_DIR) cleanups.push(() => rmSync(scriptsDir, { recursive: true, force: true }));
let context;

try {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium`);
  const endpoint = (process.env.GLUE_LOCAL_ENDPOINT || (await startServer(['--scripts-dir', scriptsDir]))).replace(/\/+$/, '');
  console.log(`glue-local: ${endpoint}\nbrowser: ${CHROMIUM}\nartifacts: ${ARTIFACTS}`);

  context = await chromium.launchPersistentContext(browserDir, {
    executablePath: CHROMIUM,
    headless: process.env.UI_TEST_HEADED !== '1',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ].filter((a) => a !== '--headless' || process.env.UI_TEST_HEADED !== '1'),
    viewport: { width: 1360, height: 860 },
    deviceScaleFactor: 1,
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => {
    // e.g. CSP violations; a refused API call's HTTP status is logged by the browser itself
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(`console: ${m.text()}`);
  });

  // ---------------------------------------------------------------- 1. the guide's failing workflow
  await scenario('resume the guide\'s failing workflow from the console', page, async () => {
    const glue = glueClient(endpoint, { region: REGION });
    let first;
    await check('the console is served from the binary', async () => {
      for (const path of ['/_glue_local/ui/', '/_glue_local/ui']) {
        const r = await fetch(`${endpoint}${path}`);
        expect(r.status === 200, `${path}: HTTP ${r.status}`);
        expect((r.headers.get('content-type') || '').startsWith('text/html'), `${path}: ${r.headers.get('content-type')}`);
      }
    });
    await check('W1 created through the API; its run ends COMPLETED with J2 and J3 failed', async () => {
      first = await createFailingWorkflow(glue);
      expect(first.Status === 'COMPLETED', `run status ${first.Status}`);
      const failedJobs = first.Graph.Nodes.filter((n) => n.JobDetails?.JobRuns?.[0]?.JobRunState === 'FAILED').map((n) => n.Name);
      expect(failedJobs.sort().join() === 'J2,J3', `failed: ${failedJobs}`);
    });
    await check('workflows list shows W1 with its last run COMPLETED', async () => {
      await page.goto(`${endpoint}/_glue_local/ui/`);
      await setRegion(page, REGION);
      const row = page.locator('#workflows tr[data-workflow="W1"]');
      await row.waitFor();
      await row.locator('[data-status="COMPLETED"]').waitFor();
    });
    await check('History lists the run; View run details opens its graph', async () => {
      await page.locator('#workflows').getByRole('link', { name: 'W1', exact: true }).click();
      const row = page.locator(`#history tr[data-run-id="${first.WorkflowRunId}"]`);
      await row.waitFor();
      expect((await row.innerText()).includes('3 actions: 1 succeeded, 2 failed'), await row.innerText());
      await row.getByRole('link').first().click();
      await page.locator('svg.run-graph').waitFor();
      expect((await page.locator('#run-id').innerText()) === first.WorkflowRunId, 'run id shown');
    });
    await check('J1 succeeded, J2 and J3 failed, J4 and J5 (and T4, T5) not run', async () => {
      await expectStates(page, { J1: 'succeeded', J2: 'failed', J3: 'failed', J4: 'not-run', J5: 'not-run', T1: 'succeeded', T4: 'not-run', T5: 'not-run' });
      for (const t of ['T1', 'T2', 'T3', 'T4', 'T5']) expect((await node(page, t).getAttribute('data-node-type')) === 'TRIGGER', `${t} is a trigger`);
      expect((await node(page, 'T1').locator('rect.shape').count()) === 1, 'triggers are rectangles');
      expect((await node(page, 'J1').locator('circle.shape').count()) === 1, 'jobs are circles');
    });
    await check('the graph is laid out left to right', async () => {
      const x = async (n) => (await node(page, n).boundingBox()).x;
      const [t1, j1, t2, j2, t4, j4] = await Promise.all(['T1', 'J1', 'T2', 'J2', 'T4', 'J4'].map(x));
      expect(t1 < j1 && j1 < t2 && t2 < j2 && j2 < t4 && t4 < j4, `x: ${[t1, j1, t2, j2, t4, j4]}`);
    });
    await check('selecting J2 shows its failed job run, error message and arguments', async () => {
      await node(page, 'J2').click();
      const details = page.locator('#node-details');
      await details.getByRole('heading', { name: 'J2' }).waitFor();
      const text = await details.innerText();
      for (const want of ['Failed', 'boom: J2 could not read its input', 'Attempt', '--WORKFLOW_RUN_ID', first.WorkflowRunId, 'jr_']) {
        expect(text.includes(want), `details lack ${want}: ${text}`);
      }
    });
    await check('triggers and never-attempted nodes cannot be checked', async () => {
      for (const n of ['T2', 'J4', 'J5']) {
        await node(page, n).click();
        await page.locator('#details-title', { hasText: n }).waitFor();
        expect((await page.locator('#resume-checkbox').count()) === 0, `${n} offers Resume`);
      }
      expect((await page.locator('#not-resumable').count()) === 1, 'J5 says why it cannot be resumed');
      expect(await page.locator('#resume-run').isDisabled(), 'Resume run is disabled with nothing checked');
    });
    await check('ticking Resume on J2 and J3 marks them', async () => {
      for (const n of ['J2', 'J3']) {
        await node(page, n).click();
        await page.locator('#details-title', { hasText: n }).waitFor();
        await page.locator('#resume-checkbox').check();
        await page.waitForFunction((name) => document.querySelector(`[data-node-name="${name}"]`)?.getAttribute('data-resume') === 'true', n);
        expect((await node(page, n).locator('.resume-badge').count()) === 1, `${n} has no resume mark`);
      }
      expect((await node(page, 'J1').getAttribute('data-resume')) === 'false', 'J1 is not marked');
      expect(!(await page.locator('#resume-run').isDisabled()), 'Resume run is enabled');
      await node(page, 'J2').click(); // leave J2's details open for the screenshot
      await page.locator('#details-title', { hasText: 'J2' }).waitFor();
      await page.locator('#view').screenshot({ path: join(ARTIFACTS, 'run-graph.png') });
    });
    let second;
    await check('Resume run opens the new run, which completes with the previous run id', async () => {
      await page.locator('#resume-run').click();
      await page.waitForURL((url) => url.hash.includes('/runs/') && !url.hash.endsWith(encodeURIComponent(first.WorkflowRunId)));
      await page.locator('#run-status [data-status="COMPLETED"]').waitFor();
      second = (await page.locator('#run-id').innerText()).trim();
      expect(second !== first.WorkflowRunId && second.startsWith('wr_'), `new run id ${second}`);
      expect((await page.locator('#previous-run-id').innerText()).trim() === first.WorkflowRunId, 'previous run id');
      const info = await page.locator('#messages').innerText();
      expect(info.includes('restarting J2, J3'), `message: ${info}`);
    });
    await check('the resumed run: J1 copied, J2..J5 succeeded', async () => {
      await expectStates(page, { J1: 'succeeded', J2: 'succeeded', J3: 'succeeded', J4: 'succeeded', J5: 'succeeded', T4: 'succeeded', T5: 'succeeded' });
      expect((await node(page, 'J1').getAttribute('data-copied')) === 'true', 'J1 copied');
      for (const n of ['J2', 'J3', 'J4', 'J5']) expect((await node(page, n).getAttribute('data-copied')) === 'false', `${n} not copied`);
      await node(page, 'J4').click();
      await page.locator('#details-title', { hasText: 'J4' }).waitFor();
      await page.locator('.run-layout').screenshot({ path: join(ARTIFACTS, 'run-graph-resumed.png') });
    });
    await check('the API agrees, and History shows the previous run id', async () => {
      const { Run } = await glue.call('GetWorkflowRun', { Name: 'W1', RunId: second });
      expect(Run.Status === 'COMPLETED' && Run.PreviousRunId === first.WorkflowRunId, JSON.stringify(Run));
      await page.locator('.crumbs').getByRole('link', { name: 'W1' }).click();
      const row = page.locator(`#history tr[data-run-id="${second}"]`);
      await row.waitFor();
      expect((await row.locator('.previous-run').getAttribute('title')) === first.WorkflowRunId, 'history previous run id');
    });
    await check('the run page says how a run was started: resumed, or by an EVENT batch', async () => {
      await page.goto(`${endpoint}/_glue_local/ui/#/workflows/W1/runs/${encodeURIComponent(second)}`);
      await page.locator('#run-started-by', { hasText: 'ResumeWorkflowRun' }).waitFor();
      await glue.call('CreateWorkflow', { Name: 'WE' });
      await glue.call('CreateTrigger', {
        Name: 'TE', WorkflowName: 'WE', Type: 'EVENT', StartOnCreation: true,
        Actions: [{ JobName: 'J1' }], EventBatchingCondition: { BatchSize: 2, BatchWindow: 900 },
      });
      await glue.control('events', { workflowName: 'WE', eventId: 'ev-a', region: glue.region });
      const { runId } = await glue.control('events', { workflowName: 'WE', eventId: 'ev-b', region: glue.region });
      await page.goto(`${endpoint}/_glue_local/ui/#/workflows/WE/runs/${encodeURIComponent(runId)}`);
      await page.locator('#run-started-by', { hasText: 'EVENT trigger TE: batch size 2 reached (2 events)' }).waitFor();
      await page.locator('#run-event-ids', { hasText: 'ev-a, ev-b' }).waitFor();
    });
    await check('a run in progress refreshes live, its job run log tail too; resuming it is refused in words', async () => {
      // W2: one job whose script waits for a gate file, so the run stays RUNNING until the test opens it
      const dir = mkdtempSync(join(scriptsDir, 'gate-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const script = join(dir, 'slow.sh');
      writeFileSync(
        script,
        `echo 'slow started'; echo 'warning: waiting for the gate' >&2\n` +
          `i=0; while [ ! -f '${dir}/open' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\necho 'gate open, done'\n`,
      );
      await glue.call('DeleteWorkflow', { Name: 'W2' });
      await glue.call('CreateJob', { Name: 'Slow', Role: 'arn:aws:iam::123456789012:role/GlueLocalUiTest', Command: { Name: 'glueetl', ScriptLocation: `file://${script}` } });
      await glue.call('CreateWorkflow', { Name: 'W2' });
      await glue.call('CreateTrigger', { Name: 'W2Start', WorkflowName: 'W2', Type: 'ON_DEMAND', Actions: [{ JobName: 'Slow' }] });
      const { RunId } = await glue.call('StartWorkflowRun', { Name: 'W2' });
      await page.goto(`${endpoint}/_glue_local/ui/#/workflows/W2/runs/${RunId}`);
      await page.locator('#run-status [data-status="RUNNING"]').waitFor();
      await expectStates(page, { Slow: 'running', W2Start: 'succeeded' });
      await node(page, 'Slow').click();
      await page.locator('#node-details pre#log-output', { hasText: 'slow started' }).waitFor();
      await page.locator('#node-details pre#log-error', { hasText: 'warning: waiting for the gate' }).waitFor();
      await page.locator('#resume-checkbox').check();
      await page.locator('#resume-run').click();
      const alert = page.locator('#messages [role=alert]');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text.includes('Could not resume the run') && text.includes('IllegalWorkflowStateException'), text);
      writeFileSync(join(dir, 'open'), '');
      await page.locator('#run-status [data-status="COMPLETED"]').waitFor();
      await expectStates(page, { Slow: 'succeeded' });
      await page.locator('#node-details pre#log-output', { hasText: 'gate open, done' }).waitFor(); // read again as the run ended
      await page.locator('#node-details').screenshot({ path: join(ARTIFACTS, 'node-details-logs.png') });
    });
    await check('a crawler node links to its database; the Data Catalog pages show tables, columns, partition keys, location, partitions', async () => {
      await glue.call('DeleteWorkflow', { Name: 'W3' });
      await glue.call('DeleteDatabase', { Name: 'uidb' }).catch(() => {});
      await glue.call('CreateDatabase', { DatabaseInput: { Name: 'uidb', Description: 'the UI test' } });
      await glue.call('CreateTable', {
        DatabaseName: 'uidb',
        TableInput: {
          Name: 'events',
          Parameters: { classification: 'csv' },
          PartitionKeys: [{ Name: 'dt', Type: 'string' }],
          StorageDescriptor: { Location: 's3://ui-bucket/events/', Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'kind', Type: 'string', Comment: 'what happened' }] },
        },
      });
      await glue.call('CreatePartition', {
        DatabaseName: 'uidb',
        TableName: 'events',
        PartitionInput: { Values: ['2024-01-01'], StorageDescriptor: { Location: 's3://ui-bucket/events/dt=2024-01-01/' } },
      });
      await glue.call('DeleteCrawler', { Name: 'UiCrawler' }).catch(() => {});
      await glue.call('CreateCrawler', {
        Name: 'UiCrawler',
        Role: 'arn:aws:iam::123456789012:role/GlueLocalUiTest',
        DatabaseName: 'uidb',
        Targets: { S3Targets: [{ Path: 's3://ui-bucket/nothing-here/' }] },
        SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
      });
      await glue.call('CreateWorkflow', { Name: 'W3' });
      await glue.call('CreateTrigger', { Name: 'W3Start', WorkflowName: 'W3', Type: 'ON_DEMAND', Actions: [{ CrawlerName: 'UiCrawler' }] });
      const { RunId } = await glue.call('StartWorkflowRun', { Name: 'W3' });
      await page.goto(`${endpoint}/_glue_local/ui/#/workflows/W3/runs/${RunId}`);
      await node(page, 'UiCrawler').waitFor();
      await node(page, 'UiCrawler').click();
      await page.locator('#details-title', { hasText: 'UiCrawler' }).waitFor();
      await page.locator('#crawler-tables').click();
      await page.waitForURL((url) => url.hash === '#/databases/uidb');
      const row = page.locator('#tables tr[data-table="events"]');
      await row.waitFor();
      const text = await row.innerText();
      for (const want of ['csv', 's3://ui-bucket/events/', 'id bigint, kind string', 'dt string']) expect(text.includes(want), `table row lacks ${want}: ${text}`);
      await row.getByRole('link', { name: 'events' }).click();
      await page.locator('#table-location', { hasText: 's3://ui-bucket/events/' }).waitFor();
      expect((await page.locator('#columns tr[data-column="kind"]').innerText()).includes('what happened'), 'column comment');
      await page.locator('#partition-keys tr[data-column="dt"]').waitFor();
      await page.locator('#partitions tr[data-partition="2024-01-01"]', { hasText: 's3://ui-bucket/events/dt=2024-01-01/' }).waitFor();
      await page.locator('#view').screenshot({ path: join(ARTIFACTS, 'catalog-table.png') });
      await page.locator('#nav-databases').click();
      await page.locator('#databases tr[data-database="uidb"]', { hasText: 'the UI test' }).waitFor();
    });
    await check('no script errors or console errors (CSP included)', async () => expect(consoleErrors.length === 0, consoleErrors.join('\n')));
  });

  // ---------------------------------------------------------------- 2. IAM
  const iamDir = mkdtempSync(join(tmpdir(), 'glue-local-ui-iam-'));
  cleanups.push(() => rmSync(iamDir, { recursive: true, force: true }));
  const iamPage = await context.newPage(); // its own tab: its own sessionStorage (credentials)
  // This tab runs the console as on an insecure origin, where WebCrypto's crypto.subtle is missing:
  // hidden before any page script, so every signature there comes from the @noble/hashes fallback.
  await iamPage.addInitScript(() => {
    Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined, configurable: true });
  });
  await scenario('with an IAM config the console signs in and shows denials in words', iamPage, async () => {
    const allow = (actions) => [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }];
    const config = {
      principals: [
        { arn: 'arn:aws:iam::123456789012:user/admin', accessKeyId: 'AKIAUIADMIN000000001', secretAccessKey: 'admin-secret', policies: allow(['glue:*', 'glue-local:*']) },
        { arn: 'arn:aws:iam::123456789012:user/reader', accessKeyId: 'AKIAUIREADER00000001', secretAccessKey: 'reader-secret', policies: allow(['glue:Get*', 'glue:List*', 'glue:BatchGet*']) },
      ],
    };
    writeFileSync(join(iamDir, 'iam.json'), JSON.stringify(config));
    let endpoint;
    let first;
    await check('a glue-local with an IAM config starts; W1 fails through the API', async () => {
      endpoint = await startServer(['--iam-config', join(iamDir, 'iam.json')]);
      const admin = glueClient(endpoint, { accessKeyId: 'AKIAUIADMIN000000001', secretAccessKey: 'admin-secret', region: REGION });
      first = await createFailingWorkflow(admin);
      expect(first.Status === 'COMPLETED', first.Status);
    });
    await check('the console asks for an access key', async () => {
      await iamPage.goto(`${endpoint}/_glue_local/ui/`);
      await iamPage.locator('#sign-in-form').waitFor();
    });
    const signIn = async (key, secret) => {
      await iamPage.fill('#access-key-id', key);
      await iamPage.fill('#secret-access-key', secret);
      await iamPage.fill('#sign-in-region', REGION);
      await iamPage.locator('#sign-in-form button[type=submit]').click();
    };
    await check('a wrong secret is refused in words', async () => {
      await signIn('AKIAUIREADER00000001', 'not-the-secret');
      const alert = iamPage.locator('#sign-in-form [role=alert]');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text.includes('InvalidSignatureException') && text.includes('signature'), text);
    });
    await check('the reader signs in (signed with the pure-JS SHA-256 fallback) and opens the failed run', async () => {
      await signIn('AKIAUIREADER00000001', 'reader-secret');
      await iamPage.locator('#signed-in-as', { hasText: 'AKIAUIREADER00000001' }).waitFor();
      expect((await iamPage.locator('header').innerText()).includes('JS SHA-256'), 'fallback crypto in use');
      await openFailedRun(iamPage, endpoint, first.WorkflowRunId);
      await expectStates(iamPage, { J2: 'failed', J3: 'failed', J4: 'not-run' });
    });
    await check('Resume run without glue:ResumeWorkflowRun: access denied, in words', async () => {
      await node(iamPage, 'J2').click();
      await iamPage.locator('#resume-checkbox').check();
      await iamPage.locator('#resume-run').click();
      const alert = iamPage.locator('#messages [role=alert]');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text.includes('Access denied') && text.includes('is not authorized to perform: glue:ResumeWorkflowRun'), text);
      expect(iamPage.url().includes(encodeURIComponent(first.WorkflowRunId)), 'stayed on the run');
    });
  });
} catch (e) {
  failed++;
  console.log(`FAIL: ${e && e.stack ? e.stack : e}`);
} finally {
  if (context) await context.close().catch(() => {});
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch {}
  }
}

console.log(`\nscreenshots: ${join(ARTIFACTS, 'run-graph.png')}, ${join(ARTIFACTS, 'run-graph-resumed.png')}`);
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
