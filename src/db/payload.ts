/**
 * Raw payloads from the outside systems (snapshots, requests, responses) are stored as JSON text:
 * they may hold nested arrays and keys with "." or "$", which FerretDB (and old MongoDB) refuse
 * as document fields. Text also keeps them out of accidental queries.
 */
export const toStoredPayload = (value: unknown): string => JSON.stringify(value ?? null);

export function fromStoredPayload<T = unknown>(text: string | null | undefined): T | null {
  if (text === null || text === undefined || text === '') return null;
  return JSON.parse(text) as T;
}
