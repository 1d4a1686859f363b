// The console's Glue client: the same JSON 1.1 API as every other client, signed with SigV4 in the
// browser (aws4fetch), so glue-local authenticates and authorizes the console's calls like any others.

import { AwsClient } from 'aws4fetch';
import { ensureSubtleCrypto } from './subtle';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Used while the server has no IAM config (it accepts any key then). */
export const ANONYMOUS: Credentials = { accessKeyId: 'GLUELOCALCONSOLE', secretAccessKey: 'glue-local-console' };

const CREDENTIALS_KEY = 'glue-local-console.credentials'; // sessionStorage: gone when the tab closes
const REGION_KEY = 'glue-local-console.region'; // localStorage: not a secret

/** How much of a log the console shows: its last 64 KiB. */
export const LOG_TAIL_BYTES = 64 * 1024;

/** The end of a log, and the whole log's size in bytes. */
export interface JobRunLog {
  text: string;
  size: number;
}

export class GlueError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function loadCredentials(): Credentials | null {
  try {
    const raw = sessionStorage.getItem(CREDENTIALS_KEY);
    const c = raw ? (JSON.parse(raw) as Credentials) : null;
    return c && c.accessKeyId && c.secretAccessKey ? c : null;
  } catch {
    return null;
  }
}

export function saveCredentials(c: Credentials | null): void {
  if (c) sessionStorage.setItem(CREDENTIALS_KEY, JSON.stringify(c));
  else sessionStorage.removeItem(CREDENTIALS_KEY);
}

export function loadRegion(): string {
  return localStorage.getItem(REGION_KEY) || 'us-east-1';
}

export function saveRegion(region: string): void {
  localStorage.setItem(REGION_KEY, region);
}

export class Glue {
  private client: AwsClient;

  constructor(
    readonly credentials: Credentials,
    readonly region: string,
    private readonly endpoint = new URL('/', location.href).toString(),
  ) {
    ensureSubtleCrypto();
    this.client = new AwsClient({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken || undefined,
      service: 'glue',
      region,
      retries: 0, // the console polls; never multiply requests on 5xx
    });
  }

  get anonymous(): boolean {
    return this.credentials.accessKeyId === ANONYMOUS.accessKeyId;
  }

  async call<T = any>(operation: string, input: object = {}): Promise<T> {
    let response: Response;
    try {
      response = await this.client.fetch(this.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSGlue.${operation}` },
        body: JSON.stringify(input),
      });
    } catch (e) {
      throw new GlueError('NetworkError', `glue-local did not answer (${(e as Error).message}). Is it still running?`, 0);
    }
    const text = await response.text();
    let doc: any = {};
    try {
      doc = text ? JSON.parse(text) : {};
    } catch {
      doc = { Message: text };
    }
    if (!response.ok) {
      const type = String(doc.__type || response.headers.get('x-amzn-errortype') || `HTTP ${response.status}`);
      const code = type.split('#').pop()!.split(':')[0];
      throw new GlueError(code, doc.Message || doc.message || text || response.statusText, response.status);
    }
    return doc as T;
  }

  /** The end of a job run's output or error log (glue-local's GET /_glue_local/logs/<job run id>). */
  async jobRunLog(runId: string, stream: 'output' | 'error', tail = LOG_TAIL_BYTES): Promise<JobRunLog> {
    const url = new URL(`_glue_local/logs/${encodeURIComponent(runId)}?stream=${stream}&tail=${tail}`, this.endpoint);
    let response: Response;
    try {
      response = await this.client.fetch(url.toString(), { method: 'GET' });
    } catch (e) {
      throw new GlueError('NetworkError', `glue-local did not answer (${(e as Error).message}). Is it still running?`, 0);
    }
    const text = await response.text();
    if (!response.ok) {
      let doc: any = {};
      try {
        doc = JSON.parse(text);
      } catch {
        doc = { error: text };
      }
      const type = String(doc.__type || response.headers.get('x-amzn-errortype') || `HTTP ${response.status}`);
      throw new GlueError(type.split('#').pop()!.split(':')[0], doc.Message || doc.error || response.statusText, response.status);
    }
    return { text, size: Number(response.headers.get('x-glue-local-log-size') ?? text.length) };
  }

  /** Every page of a paginated list operation, concatenated. */
  async all<T>(operation: string, input: object, key: string, maxPages = 50): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const out: any = await this.call(operation, token ? { ...input, NextToken: token } : input);
      items.push(...((out[key] as T[]) || []));
      token = out.NextToken;
      if (!token) break;
    }
    return items;
  }
}

/** An error in words, for a person. */
export function describeError(e: unknown): string {
  if (e instanceof GlueError) {
    const lead: Record<string, string> = {
      AccessDeniedException: 'Access denied',
      UnrecognizedClientException: 'Unknown access key',
      InvalidSignatureException: 'The request signature was not accepted (check the secret access key)',
      IllegalWorkflowStateException: 'Not possible in the run’s current state',
      EntityNotFoundException: 'Not found',
      InvalidInputException: 'Invalid input',
      ConcurrentRunsExceededException: 'Too many concurrent runs',
      NetworkError: 'Connection failed',
    };
    return `${lead[e.code] ?? e.code}: ${e.message} (${e.code})`;
  }
  return e instanceof Error ? e.message : String(e);
}
