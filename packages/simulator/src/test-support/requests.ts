// Plain HTTP calls to a running simulator (or to Prism in front of it), for the tests.
import type { Simulator } from '../types.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** Any request, answered as an `Answer` (the body parsed when it is JSON). */
export async function call(url: string, init?: RequestInit): Promise<Answer> {
  return answer(await fetch(url, init));
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** GET <base>/tasks with the simulator's Basic credentials (or `authorization`). */
export async function velostrataTasks(
  sim: Simulator,
  base = sim.velostrata.url,
  authorization: string | null = basic(sim.velostrata.username, sim.velostrata.password),
): Promise<Answer> {
  return answer(await fetch(`${base}/tasks`, { headers: authorization === null ? {} : { authorization } }));
}

export type Query = Record<string, string[]>;

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(query)) for (const value of values) params.append(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** GET <base>/api/snapservice/tasks?<query> with the current session id (or `headers`). */
export async function snapserviceTasks(
  sim: Simulator,
  query: Query,
  base = sim.snapservice.url,
  headers: Record<string, string> = { 'vmware-api-session-id': sim.snapservice.sessionId },
): Promise<Answer> {
  return answer(await fetch(`${base}/api/snapservice/tasks${queryString(query)}`, { headers }));
}

export const ALL_SERVICES: Query = { services: ['com.vmware.snapservice.protection_group'] };
